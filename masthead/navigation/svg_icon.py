"""Checks an SVG favicon before it is kept: drawing only, nothing that runs or fetches.

An SVG file is a document, not a picture: it can hold ``<script>``, event handlers
(``onload=``), links, HTML inside ``<foreignObject>`` and references to other files,
and a browser that opens its address runs them on the site's own origin. Willow (the
image library) refuses SVG uploads for this reason. A favicon needs none of that, so
the file is refused, with the reason, unless every element is a drawing element of
the SVG vocabulary (or editor metadata such as Inkscape's) and every reference points
inside the file itself (``#id``). The file is kept as uploaded, never rewritten: a
checked file needs no cleaning, and a cleaned one could draw something else.
"""

import re
from xml.etree.ElementTree import Element  # the type only; parsing is defusedxml's

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

MAX_BYTES = 100_000
SVG = "http://www.w3.org/2000/svg"
# Editors' own metadata (Inkscape, Sodipodi, RDF licences): ignored by browsers, never
# run. XHTML and MathML are not among them: their elements can carry script.
METADATA_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
}
# Drawing elements. Left out on purpose: script, foreignObject (HTML inside), a (links),
# image and feImage (other files), animate/set/animateMotion/animateTransform (they can
# rewrite an href or an event attribute after the check), iframe, video, audio.
DRAWING_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "metadata", "symbol", "use", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath", "style",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}  # fmt: skip
# url(...) that is not url(#id), @import, and script or old IE expressions in CSS or values.
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_ACTIVE = re.compile(
    r"@import|@font-face|image-set\s*\(|src\s*\(|javascript:|vbscript:|expression\s*\(",
    re.IGNORECASE,
)
# Processing instructions: the parser drops them, but a browser obeys <?xml-stylesheet?>.
_INSTRUCTION = re.compile(rb"<\?\s*([^\s?>]*)")


class UnsafeSvg(ValueError):
    """The file is not an SVG favicon that can be served safely; the message says why."""


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _check_text(text: str, where: str) -> None:
    if "\\" in text:
        # CSS escapes spell any word (u\72l( is url(): a drawing needs none.
        raise UnsafeSvg(f"{where} has a backslash (a CSS escape); remove it.")
    if _OUTSIDE_URL.search(text):
        raise UnsafeSvg(f"{where} refers to another file (url(...)); only url(#id) is allowed.")
    if _ACTIVE.search(text):
        raise UnsafeSvg(
            f"{where} holds script, an @import, a font or an image-set, which a favicon "
            "cannot have."
        )


def _check_element(element: Element) -> None:
    namespace, name = _split(element.tag)
    if namespace in METADATA_NAMESPACES:
        pass  # attributes and children are checked all the same
    elif namespace != SVG:
        raise UnsafeSvg(
            f"The element <{name}> is not SVG ({namespace or 'no namespace'}); only SVG "
            "drawing elements are allowed."
        )
    elif name not in DRAWING_ELEMENTS:
        raise UnsafeSvg(
            f"The element <{name}> is not allowed in a favicon: it can run script, link or "
            "load other files. Export the icon as a plain drawing."
        )
    for attribute, value in element.attrib.items():
        _, attr_name = _split(attribute)
        if attr_name.lower().startswith("on"):
            raise UnsafeSvg(
                f"The attribute {attr_name}= on <{name}> is an event handler (script); remove it."
            )
        # href in any namespace (SVG 2's plain href, xlink:href, or an invented one).
        if attr_name == "href" and not value.strip().startswith("#"):
            raise UnsafeSvg(
                f"<{name}> refers to {value.strip()[:60]!r}; only references inside the "
                "file (#id) are allowed."
            )
        _check_text(value, f"The attribute {attr_name}= on <{name}>")
    if name == "style" and element.text:
        _check_text(element.text, "The <style> element")


def check_svg_icon(data: bytes) -> None:
    """Raise :class:`UnsafeSvg` naming the first reason ``data`` is not a safe SVG icon."""
    if len(data) > MAX_BYTES:
        raise UnsafeSvg(
            f"The file is {len(data) // 1000} KB; an SVG favicon must be under "
            f"{MAX_BYTES // 1000} KB."
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeSvg("The file is not UTF-8 text: save the SVG as UTF-8.") from None
    try:
        # A bare DOCTYPE (older Illustrator exports have one) is harmless: the parser
        # never fetches it. Entities (billion laughs, files) are refused.
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeSvg(
            "The file declares entities in its DOCTYPE, which are not allowed in a favicon."
        ) from None
    except (ParseError, ValueError) as exc:
        raise UnsafeSvg(f"The file is not well-formed SVG: {exc}.") from None
    if root.tag != f"{{{SVG}}}svg":
        raise UnsafeSvg(
            f'The file is not an SVG image: its first element must be <svg xmlns="{SVG}">.'
        )
    for target in _INSTRUCTION.findall(data):
        if target.lower() != b"xml":
            raise UnsafeSvg(
                f"The file has a <?{target.decode('ascii', 'replace')}?> instruction, which "
                "can load other files; remove it."
            )
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are not kept by the parser
        _check_element(element)


def validate_svg_icon(file) -> None:
    """Django validator: raise ValidationError when the uploaded file is not a safe SVG icon."""
    from django.core.exceptions import ValidationError

    file.seek(0)
    data = file.read(MAX_BYTES + 1)
    file.seek(0)
    try:
        check_svg_icon(data)
    except UnsafeSvg as exc:
        raise ValidationError(str(exc), code="unsafe_svg") from None
