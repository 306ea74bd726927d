from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anvis.demo.accounts import DEMO_USERS
from anvis.permissions import Role


class Command(BaseCommand):
    help = "Print the demo logins for each role (in Danish) and the address the demo serves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="the address the site is served on"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"]
        for wildcard in ("//0.0.0.0:", "//[::]:"):
            url = url.replace(wildcard, "//127.0.0.1:")  # listening on all addresses
        with translation.override("da"):
            self.stdout.write("")
            self.stdout.write(
                _("Anvis demo logins (password for all: %(password)s)")
                % {"password": settings.ANVIS_DEMO_PASSWORD}
            )
            for username, role, description in DEMO_USERS:
                label = str(Role(role).label)
                self.stdout.write(f"  {username:<16} {label:<28} {description}")
            self.stdout.write(_("Open %(url)s in a browser. Ctrl-C stops the demo.") % {"url": url})
            self.stdout.write("")
