from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "anvis.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anvis.events import subscribe

        from .handlers import texts_of_anonymised_citizen
        from .handoffs import register

        register()
        subscribe("citizen.anonymised", texts_of_anonymised_citizen, in_transaction=True)
