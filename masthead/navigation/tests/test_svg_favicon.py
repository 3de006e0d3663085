"""An SVG favicon: drawing only, refused with the reason when it could run or fetch."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Site

from masthead.navigation.models import SiteIdentity
from masthead.navigation.svg_icon import UnsafeSvg, check_svg_icon

ICON = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 32 32">
  <title>The Valley Courier</title>
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#036"/><stop offset="1" stop-color="#09c"/></linearGradient>
    <style>.c { fill: url(#g); }</style>
  </defs>
  <rect class="c" width="32" height="32" rx="6"/>
  <path id="v" d="M8 8 L16 24 L24 8" stroke="#fff" stroke-width="3" fill="none"/>
  <use xlink:href="#v" transform="translate(0 1)" opacity=".3"/>
</svg>
"""

INKSCAPE = b"""<svg xmlns="http://www.w3.org/2000/svg"
  xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
  xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" viewBox="0 0 16 16">
  <sodipodi:namedview inkscape:zoom="8"/>
  <metadata><rdf:RDF/></metadata>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer"><circle cx="8" cy="8" r="7"/></g>
</svg>"""

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'

HOSTILE = {
    "script element": (SVG_OPEN + b"<script>alert(1)</script></svg>", "<script>"),
    "event handler": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "onload=",
    ),
    "handler in capitals": (SVG_OPEN + b'<rect ONCLICK="alert(1)"/></svg>', "ONCLICK="),
    "html inside": (
        SVG_OPEN + b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
        b"<script>alert(1)</script></div></foreignObject></svg>",
        "<foreignObject>",
    ),
    "xhtml element": (
        SVG_OPEN + b'<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
        "not SVG",
    ),
    "link": (SVG_OPEN + b'<a href="javascript:alert(1)"><rect/></a></svg>', "<a>"),
    "outside use": (SVG_OPEN + b'<use href="https://evil.example/x.svg#a"/></svg>', "evil"),
    "outside xlink": (SVG_OPEN + b'<use xlink:href="/media/other.svg#a"/></svg>', "other.svg"),
    "javascript href": (SVG_OPEN + b'<use xlink:href="javascript:alert(1)"/></svg>', "refers"),
    "picture": (SVG_OPEN + b'<image href="data:image/png;base64,AAAA"/></svg>', "<image>"),
    "animation rewriting href": (
        SVG_OPEN + b'<use href="#a"><set attributeName="href" to="javascript:x"/></use></svg>',
        "<set>",
    ),
    "style fetch": (
        SVG_OPEN + b"<style>rect { fill: url(https://evil.example/) }</style></svg>",
        "url(",
    ),
    "style import": (
        SVG_OPEN + b"<style>@import 'https://evil.example/x.css';</style></svg>",
        "@import",
    ),
    "inline style fetch": (
        SVG_OPEN + b"<rect style=\"fill:url('//evil.example/p')\"/></svg>",
        "url(",
    ),
    "escaped url": (
        SVG_OPEN + b'<style>rect { fill: u\\72 l("https://evil.example/") }</style></svg>',
        "backslash",
    ),
    "image-set": (
        SVG_OPEN + b"<rect style=\"fill:image-set('https://evil.example/p' 1x)\"/></svg>",
        "image-set",
    ),
    "font": (SVG_OPEN + b"<style>@font-face { font-family: x }</style></svg>", "font"),
    "stylesheet instruction": (
        b'<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>'
        + SVG_OPEN
        + b"<rect/></svg>",
        "xml-stylesheet",
    ),
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>'
        + SVG_OPEN
        + b"<text>&a;</text></svg>",
        "entities",
    ),
    "not svg": (b"<html><body>hi</body></html>", "first element"),
    "no namespace": (b"<svg><rect/></svg>", "first element"),
    "not xml": (b"\x89PNG\r\n\x1a\n not svg at all", "not"),
    "too large": (SVG_OPEN + b"<desc>" + b"a" * 100_001 + b"</desc></svg>", "under 100 KB"),
}


ILLUSTRATOR = b"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 16.0.0, SVG Export Plug-In -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" xmlns="http://www.w3.org/2000/svg" x="0px" y="0px" width="32px"
  height="32px" viewBox="0 0 32 32" enable-background="new 0 0 32 32" xml:space="preserve">
<style type="text/css"><![CDATA[ .st0{fill:#003366;} ]]></style>
<rect class="st0" width="32" height="32"/>
</svg>"""


def test_a_drawing_passes_and_so_does_an_inkscape_or_illustrator_file():
    check_svg_icon(ICON)
    check_svg_icon(INKSCAPE)
    check_svg_icon(ILLUSTRATOR)


@pytest.mark.parametrize("name", HOSTILE)
def test_an_svg_that_could_run_or_fetch_is_refused_with_the_reason(name):
    data, reason = HOSTILE[name]
    with pytest.raises(UnsafeSvg) as refused:
        check_svg_icon(data)
    assert reason in str(refused.value), str(refused.value)


def _edit_url() -> str:
    site = Site.objects.get(is_default_site=True)
    return f"/admin/settings/navigation/siteidentity/{site.pk}/"


def _form(**extra) -> dict:
    return {
        "name": "The Valley Courier",
        "tagline": "",
        "description": "",
        "logo": "",
        "favicon": "",
        "contact_email": "",
        "contact_address": "",
        "footer_text": "",
        "social_accounts-count": "0",
        **extra,
    }


@pytest.mark.django_db
def test_the_admin_refuses_a_hostile_svg_with_its_reason_and_keeps_nothing(admin_client, newsroom):
    data, _ = HOSTILE["event handler"]
    response = admin_client.post(
        _edit_url(), _form(favicon_svg=SimpleUploadedFile("icon.svg", data, "image/svg+xml"))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is an event handler (script)" in html
    identity = SiteIdentity.objects.filter(site__is_default_site=True).first()
    assert identity is None or not identity.favicon_svg
    page = admin_client.get("/").content.decode()
    assert "/favicon.svg?v=" not in page
    assert admin_client.get("/favicon.svg").status_code == 404


@pytest.mark.django_db
def test_a_checked_svg_favicon_is_served_as_svg_that_cannot_run_script(
    admin_client, client, newsroom
):
    from masthead.images.factories import MastheadImageFactory, make_jpeg

    response = admin_client.post(
        _edit_url(), _form(favicon_svg=SimpleUploadedFile("icon.svg", ICON, "image/svg+xml"))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    head = client.get("/").content.decode().split("</head>")[0]
    link = re.search(r'<link rel="icon" href="(/favicon\.svg\?v=\w+)" type="image/svg\+xml"', head)
    assert link, head
    assert "masthead/favicon.svg" not in head and "apple-touch-icon" not in head
    icon = client.get(link.group(1))
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert icon.content == ICON
    assert "sandbox" in icon["Content-Security-Policy"]
    assert "script-src" not in icon["Content-Security-Policy"]
    assert icon["X-Content-Type-Options"] == "nosniff"
    # The uploaded file itself, at its media address, is sandboxed as well.
    identity = SiteIdentity.objects.get(site__is_default_site=True)
    media = client.get(identity.favicon_svg.url)
    assert media.status_code == 200 and media["Content-Type"] == "image/svg+xml"
    assert "sandbox" in media["Content-Security-Policy"]

    # With a picture as well, the PNG sizes are the fallback beside the SVG.
    identity.favicon = MastheadImageFactory(title="Icon", file=make_jpeg(400, 400))
    identity.save()
    head = client.get("/").content.decode().split("</head>")[0]
    assert re.search(r'<link rel="icon" href="[^"]+\.png" type="image/png" sizes="32x32">', head)
    assert '<link rel="apple-touch-icon"' in head
    assert link.group(1) in head
