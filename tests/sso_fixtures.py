"""Fixtures for single sign-on tests: two running test identity providers (the municipality's
and a housing organisation's) registered in Anvis with their claim rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from anvis.permissions import Role
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Account, Provider


@pytest.fixture
def idps(org_a: Any) -> Iterator[dict[str, Provider]]:
    from anvis.accounts.models import ClaimRule, IdentityProvider

    municipal = Provider(
        accounts={
            "jens": Account(
                "k-100",
                {
                    "email": "jens@kommune.example.dk",
                    "given_name": "Jens",
                    "family_name": "Kommunesen",
                    "groups": ["anvis-anvisning", "alle-ansatte"],
                    "amr": ["pwd", "mfa"],
                },
            ),
            "sara": Account(
                "k-200",
                {
                    "given_name": "Sara",
                    "family_name": "Udenkode",
                    "groups": ["anvis-sag"],
                    "amr": ["pwd"],
                },
            ),
            "ole": Account("k-300", {"groups": ["alle-ansatte"], "amr": ["pwd", "mfa"]}),
        }
    ).start()
    organisation = Provider(
        accounts={
            "mette": Account(
                "b-1",
                {
                    "given_name": "Mette",
                    "family_name": "Udlejer",
                    "roles": ["Anvis.Udlejning"],
                    "amr": ["pwd"],
                },
            )
        }
    ).start()
    kommune = IdentityProvider.objects.create(
        slug="kommunen",
        name="Aalborg Kommune",
        issuer=municipal.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    ClaimRule.objects.create(
        provider=kommune,
        order=1,
        claim="groups",
        value="anvis-anvisning",
        role=Role.ALLOCATION_LEAD,
    )
    ClaimRule.objects.create(
        provider=kommune, order=2, claim="groups", value="anvis-sag", role=Role.CASEWORKER
    )
    alfa = IdentityProvider.objects.create(
        slug="alfa",
        name="Alfa Boligselskab",
        issuer=organisation.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    ClaimRule.objects.create(
        provider=alfa,
        order=1,
        claim="roles",
        value="Anvis.Udlejning",
        role=Role.ORGANISATION,
        organisation=org_a,
    )
    try:
        yield {"kommunen": municipal, "alfa": organisation}
    finally:
        municipal.stop()
        organisation.stop()
