"""Which uploaded files a request may read at their ``/media/`` address.

Wagtail checks a collection's view restrictions (password, sign-in, groups) when a
document is served through ``/documents/<id>/<name>``, but the same bytes sit under
``MEDIA_ROOT`` where the embedded media view would hand them to anyone. This module finds
the document, original image or rendition a media path belongs to and applies its
collection's restrictions. With no restriction on any collection (the common case) it
costs one indexed query per media request.
"""

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass
class Protected:
    """A file under a restricted collection: who may read it, and where to ask."""

    restrictions: list
    # The checked address readers should use instead (documents: the password form).
    checked_url: str = ""

    def accepts(self, request: HttpRequest) -> bool:
        return all(r.accept_request(request) for r in self.restrictions)


def protection_for(path: str) -> Protected | None:
    """Return how the media file at ``path`` (relative to MEDIA_ROOT) is protected, if it is."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import CollectionViewRestriction

    if not CollectionViewRestriction.objects.exists():
        return None
    collection, checked_url = None, ""
    document = get_document_model().objects.filter(file=path).select_related("collection")
    document = document.first()
    if document is not None:
        collection, checked_url = document.collection, document.url
    else:
        image_model = get_image_model()
        image = image_model.objects.filter(file=path).select_related("collection").first()
        if image is None:
            rendition = (
                image_model.get_rendition_model()
                .objects.filter(file=path)
                .select_related("image__collection")
                .first()
            )
            image = rendition.image if rendition is not None else None
        if image is not None:
            collection = image.collection
    if collection is None:
        return None
    restrictions = list(collection.get_view_restrictions())
    return Protected(restrictions, checked_url) if restrictions else None
