from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from anvis.accounts.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins for each role."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(f"Anvis demo logins (password for all: {settings.ANVIS_DEMO_PASSWORD})")
        for username, role, description in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {role:<18} {description}")
        self.stdout.write("Open http://127.0.0.1:8000/ in a browser.")
        self.stdout.write("")
