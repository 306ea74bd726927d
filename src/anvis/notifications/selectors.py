"""Reads for notifications: a user only ever sees their own."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from .models import Notification, NotificationQuerySet


def notification_list(*, user: Any, unread_only: bool = False) -> NotificationQuerySet:
    qs = Notification.objects.filter(recipient=user)
    return qs.unread() if unread_only else qs


def notification_get(*, user: Any, pk: int) -> Notification:
    """The user's own notification, or 404."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
