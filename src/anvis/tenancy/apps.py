from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "anvis.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancies after move-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anvis.events import subscribe

        from . import signals  # noqa: F401
        from .handlers import (
            notes_of_anonymised_citizen,
            notice_from_vacancy_report,
            tenancy_of_cancelled_lease,
        )

        subscribe("vacancy.reported", notice_from_vacancy_report)
        subscribe("lease.cancelled", tenancy_of_cancelled_lease, in_transaction=True)
        subscribe("citizen.anonymised", notes_of_anonymised_citizen, in_transaction=True)
