"""Read WordPress shortcodes the way WordPress does: only the names it knows.

WordPress expands a bracketed name only when a plugin (or WordPress itself) has
registered it (``get_shortcode_regex`` is built from the registered names); every other
bracket is printed as written. Newsrooms put brackets in quotations all the time
("The mayor [of Tesk] said no", "[sic]", "[inaudible]"), so anything not named in
``REGISTERED`` is left exactly as it is, character for character.

The pattern below is WordPress's own (wp-includes/shortcodes.php, ``get_shortcode_regex``),
with its escape ``[[name]]`` (printed as ``[name]``), its self-closing ``[name /]`` and its
enclosing ``[name]...[/name]`` forms. Shortcodes inside HTML tags are left alone, as
``do_shortcodes_in_html_tags`` leaves those that are not in an attribute value of their own.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

# What the importer does with each registered shortcode it meets:
# "convert": turned into a story block (handled by the caller's handlers);
# "unwrap": a layout wrapper: the tag goes, the words inside stay;
# "drop": a plugin widget that cannot run in a story (a form, a map, a sitemap):
#         removed, and the report says so.
WORDPRESS_CORE = {
    "caption": "convert",
    "wp_caption": "convert",
    "gallery": "convert",
    "embed": "convert",
    "audio": "convert",
    "video": "convert",
    "playlist": "drop",
}
# Shortcodes of widely used plugins (Jetpack, Contact Form 7, WPForms, Gravity Forms,
# Ninja Forms, Mailchimp for WP, page builders' columns). A site that used another
# plugin keeps its brackets as written, listed in the report as possible shortcodes.
PLUGINS = {
    # Jetpack's embeds: made into embed blocks where a URL can be read from them.
    "youtube": "convert",
    "vimeo": "convert",
    "dailymotion": "convert",
    "soundcloud": "convert",
    "spotify": "convert",
    "tweet": "convert",
    "instagram": "convert",
    "ted": "convert",
    "flickr": "convert",
    # Forms and widgets: they cannot run inside an imported story.
    "contact-form-7": "drop",
    "contact-form": "drop",
    "contact-field": "drop",
    "wpforms": "drop",
    "gravityform": "drop",
    "ninja_form": "drop",
    "mc4wp_form": "drop",
    "googlemaps": "drop",
    "slideshow": "drop",
    "archives": "drop",
    "sitemap": "drop",
    # Layout wrappers of page builders and theme plugins: their words are kept.
    "pullquote": "unwrap",
    "column": "unwrap",
    "columns": "unwrap",
    "row": "unwrap",
    "one_half": "unwrap",
    "one_half_last": "unwrap",
    "one_third": "unwrap",
    "one_third_last": "unwrap",
    "two_thirds": "unwrap",
    "button": "unwrap",
    "highlight": "unwrap",
    "dropcap": "unwrap",
}
REGISTERED = {**WORDPRESS_CORE, **PLUGINS}

# Stand-ins for brackets inside HTML tags while shortcodes are read (private-use
# characters, which no export carries): restored afterwards.
_OPEN, _CLOSE = "\ue000", "\ue001"
_HTML_TAG = re.compile(r"<[^<>]*>")
# shortcode_parse_atts() in wp-includes/shortcodes.php.
_ATTRIBUTE = re.compile(
    r"([\w-]+)\s*=\s*\"([^\"]*)\"(?:\s|$)"
    r"|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"
    r"|([\w-]+)\s*=\s*([^\s'\"]+)(?:\s|$)"
    r"|\"([^\"]*)\"(?:\s|$)"
    r"|'([^']*)'(?:\s|$)"
    r"|(\S+)(?:\s|$)"
)
# A bracket that looks like a plugin's shortcode: a name, then attributes name="value".
_LOOKS_LIKE = re.compile(
    r"\[([A-Za-z][\w-]*)((?:\s+[\w-]+\s*=\s*(?:\"[^\"\]]*\"|'[^'\]]*'|[^\s\]'\"]+))+)\s*/?\]"
)
_ENCLOSING = re.compile(r"\[([A-Za-z][\w-]*)(?![\w-])[^\]\[]*\](?:(?!\[/\1\]).)*?\[/\1\]", re.S)


def shortcode_regex(names) -> re.Pattern:
    """Return WordPress's ``get_shortcode_regex()`` for ``names``, compiled.

    Groups: 1 escape ``[``, 2 name, 3 attributes, 4 self-closing ``/``, 5 enclosed
    content, 6 escape ``]``.
    """
    tags = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        r"\[(\[?)"
        rf"({tags})"
        r"(?![\w-])"
        r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
        r"(\]?)",
        re.S,
    )


_REGISTERED_RE = shortcode_regex(REGISTERED)


def parse_attributes(text: str) -> dict[str, str]:
    """Return a shortcode's attributes as ``shortcode_parse_atts`` reads them.

    Named attributes are lower-cased; positional ones are keyed "0", "1", ...
    """
    text = re.sub(r"[\u00a0\u200b]", " ", text)
    found: dict[str, str] = {}
    position = 0
    for m in _ATTRIBUTE.finditer(text):
        if m.group(1):
            found[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            found[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            found[m.group(5).lower()] = m.group(6)
        else:
            value = next(g for g in (m.group(7), m.group(8), m.group(9)) if g is not None)
            found[str(position)] = value
            position += 1
    return found


@dataclass
class Shortcode:
    name: str
    attributes: dict[str, str]
    content: str | None  # None for a self-standing shortcode
    raw: str


# handler(shortcode) returns the HTML that replaces it.
Handler = Callable[[Shortcode], str]


def _hide_brackets_in_tags(content: str) -> str:
    if "<" not in content:
        return content
    return _HTML_TAG.sub(lambda m: m.group(0).replace("[", _OPEN).replace("]", _CLOSE), content)


def _restore(content: str) -> str:
    return content.replace(_OPEN, "[").replace(_CLOSE, "]")


def expand(content: str, handle: Handler) -> str:
    """Return ``content`` with registered shortcodes replaced by ``handle``'s HTML.

    Every other bracketed text is returned as written; ``[[name]]`` gives ``[name]``.
    Enclosed content is expanded in turn before the handler sees it.
    """
    if "[" not in content:
        return content
    hidden = _hide_brackets_in_tags(content)

    def replace(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(6) == "]":
            return m.group(0)[1:-1]  # escaped: printed without its outer brackets
        inner = m.group(5)
        if inner is not None:
            inner = _restore(_expand_hidden(inner, replace))
        shortcode = Shortcode(
            name=m.group(2).lower(),
            attributes=parse_attributes(_restore(m.group(3))),
            content=inner,
            raw=_restore(m.group(0)[len(m.group(1)) : len(m.group(0)) - len(m.group(6))]),
        )
        return m.group(1) + _hide_brackets_in_tags(handle(shortcode)) + m.group(6)

    return _restore(_expand_hidden(hidden, replace))


def _expand_hidden(text: str, replace) -> str:
    return _REGISTERED_RE.sub(replace, text)


def possible_plugin_shortcodes(content: str) -> list[str]:
    """Return the names of bracketed texts that look like shortcodes of unknown plugins.

    An enclosing pair ``[foo]...[/foo]`` or a name with ``key="value"`` attributes, and
    not a registered name. They are kept as written; the report lists them so an editor
    can check them. Plain bracketed words ("[sic]", "[of Tesk]") are not listed.
    """
    if "[" not in content:
        return []
    names = []
    for pattern in (_ENCLOSING, _LOOKS_LIKE):
        for m in pattern.finditer(content):
            name = m.group(1).lower()
            if name not in REGISTERED and name not in names:
                names.append(name)
    return names
