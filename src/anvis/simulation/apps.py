from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "anvis.simulation"
    label = "simulation"
    verbose_name = _("Policy simulator")
    default_auto_field = "django.db.models.BigAutoField"
