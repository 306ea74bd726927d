"""Every lease that comes through the agreement gets its tenancy in the same transaction, so
the support overview and the figures count every tenancy from move-in (not only those with
events)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from anvis.vacancies.models import Lease


@receiver(post_save, sender=Lease, dispatch_uid="tenancy_for_new_lease")
def tenancy_for_new_lease(sender: Any, instance: Lease, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.offer_id is None:
        return
    from .services import tenancy_ensure

    tenancy_ensure(lease=instance)
