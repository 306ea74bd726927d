"""Records that make the background work exact: a slot row per recurring task and period (the
scheduler enqueues a task only together with inserting its slot, so exactly once), a heartbeat
per worker (a task whose worker stopped beating is put back in the queue), and the outbox of
e-mails sent by the demo and test installations (`anvis.background.mail.OutboxBackend`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleSlot(models.Model):
    """A recurring task enqueued for one period (`slot`: the start of the period)."""

    task = models.CharField(_("task"), max_length=100)
    slot = models.DateTimeField(_("period"))
    enqueued_at = models.DateTimeField(_("enqueued"), auto_now_add=True)
    result_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "task"]
        constraints = [
            models.UniqueConstraint(fields=["task", "slot"], name="background_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.slot.isoformat()}"


class WorkerBeat(models.Model):
    """A running worker (`manage.py task_worker`), updated every few seconds."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker_id


class OutboxMessage(models.Model):
    """An e-mail as it would have been sent (demo and test installations)."""

    created = models.DateTimeField(_("time"), auto_now_add=True)
    from_email = models.CharField(_("from"), max_length=300)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("e-mail in the outbox")
        verbose_name_plural = _("outbox")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.subject
