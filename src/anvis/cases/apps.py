from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "anvis.cases"
    label = "cases"
    verbose_name = _("Citizen cases")
    default_auto_field = "django.db.models.BigAutoField"
