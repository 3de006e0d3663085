"""One srcset candidate per width.

Wagtail never enlarges a picture, so ``width-{480,800,1200}`` on an 800-pixel upload
gives two 800-wide renditions, and ``srcset="a.jpg 800w, b.jpg 800w"`` is invalid HTML
(the Nu checker refuses it, and browsers may pick either). Editors upload pictures of
every size, so the candidates are made unique by width, keeping the first.

Upstream behaviour relied on (tests/test_upstream.py): ``ResponsiveImage`` builds its
``srcset`` with the class method ``get_width_srcset(renditions_list)``.
"""

from wagtail.images.models import ResponsiveImage


def unique_width_srcset(cls, renditions_list):
    if len(renditions_list) == 1:
        return renditions_list[0].url
    unique = {}
    for rendition in renditions_list:
        unique.setdefault(rendition.width, rendition)
    return ", ".join(f"{r.url} {r.width}w" for r in unique.values())


def install() -> None:
    ResponsiveImage.get_width_srcset = classmethod(unique_width_srcset)
