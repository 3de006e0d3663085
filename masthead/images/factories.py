import io

import factory
import wagtail_factories
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from .models import MastheadImage


def make_jpeg(width: int = 1200, height: int = 675, colour=(120, 80, 60)) -> ImageFile:
    """Return a plain JPEG of the given size as a Django file."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=80)
    buffer.seek(0)
    return ImageFile(buffer, name="picture.jpg")


class MastheadImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Picture {n}")
    caption = "Delegates arrive for talks, Port Halden, 3 November"
    credit = "Meridian Ledger"
    description = "Delegates walking up the steps of a stone building"
    file = factory.LazyFunction(make_jpeg)

    class Meta:
        model = MastheadImage
