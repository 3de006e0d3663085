"""Write small WordPress exports (WXR 1.2) for one case each, as WordPress writes them."""

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Tesk Courier</title>
	<link>https://courier.example.org</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://courier.example.org</wp:base_site_url>
	<wp:base_blog_url>https://courier.example.org</wp:base_blog_url>
	<wp:author><wp:author_login><![CDATA[ana]]></wp:author_login><wp:author_display_name><![CDATA[Ana Rivas]]></wp:author_display_name></wp:author>
"""


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Item:
    post_id: int
    title: str
    content: str = ""
    post_type: str = "post"
    status: str = "publish"
    slug: str = ""
    parent: int = 0
    menu_order: int = 0
    attachment_url: str = ""
    excerpt: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name

    def xml(self) -> str:
        meta = "".join(
            f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key>"
            f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
            for k, v in self.meta.items()
        )
        terms = "".join(
            f'<category domain="{d}" nicename="{escape(n)}">{cdata(name)}</category>'
            for d, n, name in self.terms
        )
        slug = self.slug or f"item-{self.post_id}"
        link = f"https://courier.example.org/{slug}/"
        return f"""	<item>
		<title>{escape(self.title)}</title>
		<link>{link}</link>
		<dc:creator>{cdata("ana")}</dc:creator>
		<guid isPermaLink="false">{escape(self.attachment_url or link)}</guid>
		<content:encoded>{cdata(self.content)}</content:encoded>
		<excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>
		<wp:post_id>{self.post_id}</wp:post_id>
		<wp:post_date>{cdata("2024-05-02 10:00:00")}</wp:post_date>
		<wp:post_date_gmt>{cdata("2024-05-02 10:00:00")}</wp:post_date_gmt>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(self.status)}</wp:status>
		<wp:post_parent>{self.parent}</wp:post_parent>
		<wp:menu_order>{self.menu_order}</wp:menu_order>
		<wp:post_type>{cdata(self.post_type)}</wp:post_type>
		<wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>
		{terms}{meta}
	</item>
"""


def write_export(path: Path, items: list[Item], extra: str = "") -> Path:
    """Write ``items`` (and raw channel XML ``extra``, e.g. terms) as a WXR file."""
    body = HEAD + extra + "".join(item.xml() for item in items) + "</channel>\n</rss>\n"
    path.write_text(body, encoding="utf-8")
    return path


def upload_url(name: str) -> str:
    return f"https://courier.example.org/wp-content/uploads/2024/05/{name}"
