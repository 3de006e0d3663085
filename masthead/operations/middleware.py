"""Turn a publish the gate refused into a clear admin message, not an error page.

A refused publish raises ``PublishRefused`` out of the view (after its transaction rolled
back everything the publish had started: a workflow approval stays waiting, a scheduled
publish unscheduled). The editor is sent to the story's edit page with the reasons. The
approval dialog ("Approve with comment") posts with ``X-Requested-With`` and follows only
its own JSON answer, so it gets that answer with the edit page as where to go next.
Messages from code that has no request (``gate.tell_editor``) are shown the same way.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import gate
from .gate import PublishRefused


class PublishRefusedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        notices, token = gate.collect_notices()
        try:
            response = self.get_response(request)
        finally:
            gate.stop_collecting(token)
        for notice in notices:
            messages.error(request, notice)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, PublishRefused):
            return None
        messages.error(request, exception.message)
        page = exception.page
        if page is not None and getattr(page, "pk", None):
            target = reverse("wagtailadmin_pages:edit", args=[page.pk])
        else:
            back = request.META.get("HTTP_REFERER", "")
            if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
                target = back
            else:
                target = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            from wagtail.admin.modal_workflow import render_modal_workflow

            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": target}
            )
        return redirect(target)
