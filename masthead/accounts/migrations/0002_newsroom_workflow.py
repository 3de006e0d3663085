"""Make "Newsroom approval" the site's only workflow: contributors submit, editors approve.

Wagtail's first migrations attach a "Moderators approval" workflow to the root page,
whose task is approved by the Moderators group; ``0001_roles`` removed that group, so a
story a contributor submitted was locked against every editor (only a superuser could
approve or release it). This migration:

- creates one task, "Editor approval", of the type ``editorial.EditorialApprovalTask``
  (the editorial checks run when it is approved), approved by Editors and Administrators;
- creates the "Newsroom approval" workflow with that task and attaches it to the root
  page, so every page below it uses it;
- deactivates every other workflow and task, detaches them from pages and content types,
  and cancels their moderation in progress (a story stuck in the old workflow becomes an
  ordinary draft again, its content untouched).

Frozen on purpose, as 0001: a later change is a new migration.
"""

from django.db import migrations
from django.utils import timezone

WORKFLOW = "Newsroom approval"
TASK = "Editor approval"
APPROVERS = ("Editors", "Administrators")


def install_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Task = apps.get_model("wagtailcore", "Task")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    EditorialApprovalTask = apps.get_model("editorial", "EditorialApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="editorial", model="editorialapprovaltask"
    )
    task = EditorialApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = EditorialApprovalTask.objects.create(
            name=TASK, content_type=task_type, active=True
        )
    task.groups.set(Group.objects.filter(name__in=APPROVERS))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    now = timezone.now()
    others = Workflow.objects.exclude(pk=workflow.pk)
    TaskState.objects.filter(
        workflow_state__workflow__in=others, status="in_progress"
    ).update(status="cancelled", finished_at=now)
    WorkflowState.objects.filter(
        workflow__in=others, status__in=("in_progress", "needs_changes")
    ).update(status="cancelled", current_task_state=None)
    WorkflowPage.objects.filter(workflow__in=others).delete()
    WorkflowContentType.objects.filter(workflow__in=others).delete()
    others.update(active=False)
    Task.objects.exclude(pk=task.pk).update(active=False)

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW).delete()
    Task.objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("editorial", "0003_editorial_approval_task"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(install_workflow, remove_workflow)]
