"""Demo accounts, one or more per role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from anvis.accounts.models import User
from anvis.demo.context import DemoContext
from anvis.permissions import Role
from anvis.stock.models import HousingOrganisation

DEMO_USERS = [
    ("sagsbehandler", Role.CASEWORKER.value, _("Municipal caseworker")),
    ("anvisningsleder", Role.ALLOCATION_LEAD.value, _("Municipal allocation lead")),
    ("boligorg", Role.ORGANISATION.value, _("Staff of the first housing organisation")),
    ("boligorg2", Role.ORGANISATION.value, _("Staff of the second housing organisation")),
    ("styregruppe", Role.STEERING.value, _("Steering group member")),
    ("admin", Role.ADMIN.value, _("Administrator (also the Django admin)")),
]
NAMES = {
    "sagsbehandler": ("Sara", "Holm"),
    "anvisningsleder": ("Jens", "Mikkelsen"),
    "boligorg": ("Mette", "Kragh"),
    "boligorg2": ("Peter", "Lund"),
    "styregruppe": ("Anne", "Bach"),
    "admin": ("Lars", "Vinther"),
}


def load(ctx: DemoContext) -> None:
    password = make_password(settings.ANVIS_DEMO_PASSWORD)
    orgs = list(HousingOrganisation.objects.order_by("pk")[:2])
    for index, (username, role, _description) in enumerate(DEMO_USERS):
        first, last = NAMES[username]
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.anvis.dk",
            role=role,
            password=password,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        if role == Role.ORGANISATION and orgs:
            user.organisations.add(orgs[0] if username == "boligorg" else orgs[-1])
        ctx.data.setdefault("users", {})[username] = user
        del index
