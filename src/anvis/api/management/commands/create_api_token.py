from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anvis.accounts.models import User
from anvis.api.services import api_token_create
from anvis.permissions import Role
from anvis.stock.models import HousingOrganisation


class Command(BaseCommand):
    help = (
        "Create an API token (as an administrator) and print it once. "
        "--organisation CVR for an organisation system, --user USERNAME for a municipal system."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--organisation", help="CVR of the housing organisation")
        parser.add_argument("--user", help="username of the municipal user the token acts as")
        parser.add_argument("--by", required=True, help="username of the administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        admin = User.objects.filter(username=options["by"], role=Role.ADMIN, is_active=True).first()
        if admin is None:
            raise CommandError("--by must name an active administrator")
        try:
            if options["organisation"]:
                organisation = HousingOrganisation.objects.get(cvr=options["organisation"])
                created = api_token_create(
                    actor=admin,
                    name=options["name"],
                    kind="organisation",
                    organisation=organisation,
                )
            elif options["user"]:
                user = User.objects.get(username=options["user"])
                created = api_token_create(
                    actor=admin, name=options["name"], kind="municipal", user=user
                )
            else:
                raise CommandError("give --organisation or --user")
        except (HousingOrganisation.DoesNotExist, User.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(created.raw)
