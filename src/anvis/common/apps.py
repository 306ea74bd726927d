from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "anvis.common"
    verbose_name = _("Anvis")

    def ready(self) -> None:
        from .law import install

        install()
