"""Which worker processes are alive, so the tasks of a dead one can run again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerProcess(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker process")
        verbose_name_plural = _("worker processes")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
