"""The running story page: the story so far, as a timeline."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .models import RunningStory


def running_story(request: HttpRequest, slug: str) -> TemplateResponse:
    from masthead.caching import tags

    running = get_object_or_404(RunningStory, slug=slug)
    # Every accepted story, shown or not yet: a draft member published later, or a
    # member withdrawn, changes the timeline.
    tags.add(request, tags.running(running.pk), *map(tags.page, running.accepted_ids()))
    return TemplateResponse(
        request,
        "pages/running_story.html",
        {"running_story": running, "timeline": running.timeline()},
    )
