from django.contrib import admin

from .models import OutboxMessage, ScheduleSlot, WorkerBeat


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("task", "slot", "enqueued_at", "result_id")
    list_filter = ("task",)


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created", "to", "subject")
    search_fields = ("to", "subject")
