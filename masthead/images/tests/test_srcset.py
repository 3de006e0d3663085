"""A picture narrower than the widths a template asks for still gets a valid srcset."""

import re

import pytest
from django.template import Context, Template
from wagtail.images.tests.utils import get_test_image_file

from masthead.images.models import MastheadImage

pytestmark = pytest.mark.django_db


def _widths(html: str) -> list[list[str]]:
    return [
        [candidate.split()[-1] for candidate in srcset.split(", ")]
        for srcset in re.findall(r'srcset="([^"]*)"', html)
    ]


def test_a_narrow_upload_gets_each_width_once():
    image = MastheadImage.objects.create(
        title="Narrow", file=get_test_image_file(size=(640, 360)), credit="Staff"
    )
    html = Template(
        "{% load wagtailimages_tags %}"
        '{% picture image width-{480,800,1200} format-{webp,jpeg} sizes="100vw" %}'
    ).render(Context({"image": image}))
    widths = _widths(html)
    assert widths, html
    for candidates in widths:
        assert candidates == ["480w", "640w"], html
