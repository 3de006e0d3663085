from django import template
from django.template.base import token_kwargs

from masthead.caching import fragments, tags

register = template.Library()


@register.simple_tag(takes_context=True)
def cache_depends(context, kind: str, obj=None) -> str:
    """Record that this response depends on ``kind`` (e.g. "home") or on ``kind:obj.pk``.

    Use "page" for every story shown, whether as the page itself or as a teaser.
    """
    tags.add(context.get("request"), f"{kind}:{obj.pk}" if obj is not None else kind)
    return ""


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts, depends):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.depends = depends

    def render(self, context):
        depends = self.depends.resolve(context) if self.depends is not None else ()
        return fragments.fragment(
            context.get("request"),
            self.name.resolve(context),
            [part.resolve(context) for part in self.parts],
            depends or (),
            lambda: self.nodelist.render(context),
        )


@register.tag("fragment")
def do_fragment(parser, token):
    """Reuse the enclosed output while the cache tags it depends on are unchanged.

        {% fragment "card" story.pk compact depends=card_tags %}...{% endfragment %}

    The name and the values after it identify the copy; ``depends`` is a list of cache
    tags (``page:12``) whose change must re-render it (masthead.caching.fragments).
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("'fragment' needs a name.")
    depends = None
    if bits[-1].startswith("depends="):
        depends = token_kwargs([bits.pop()], parser)["depends"]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, *parts = (parser.compile_filter(bit) for bit in bits)
    return FragmentNode(nodelist, name, parts, depends)


@register.simple_tag(takes_context=True)
def story_tags(context, story) -> list[str]:
    """Return the cache tags of a story's page: the story, its bylines and its topics.

    Use them as ``depends`` of a fragment showing the story, and record them for the
    page (``cache_depends``). Which authors and topics a story has changes only when
    it is saved, so the ids are kept until the stories' counter moves; a preview reads them
    from the draft.
    """
    request = context.get("request")
    if fragments.enabled(request) and story.live and story.pk:
        authors, topics = fragments.story_links(story)
    else:
        authors = [a.pk for a in story.authors]
        topics = [t.pk for t in story.topics]
    names = [tags.page(story.pk)]
    names += [tags.author(pk) for pk in authors]
    names += [tags.topic(pk) for pk in topics]
    tags.add(request, *names)
    return names
