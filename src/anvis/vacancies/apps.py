from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    name = "anvis.vacancies"
    label = "vacancies"
    verbose_name = _("Vacancies, offers and leases")
    default_auto_field = "django.db.models.BigAutoField"
