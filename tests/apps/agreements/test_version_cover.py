"""The versions cover the agreement's whole period: the first version is valid from the
agreement's start, so there is no day in force without terms (the turn engine and the gate
would read such a day as "no agreement")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from anvis.agreements import services
from anvis.agreements.models import AllocationAgreement
from anvis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
D = dt.date


def _future(users: dict[str, Any], org: Any) -> AllocationAgreement:
    return services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Kommende aftale",
        period_start=D(2027, 1, 1),
        parties=[org],
        terms={"rent_ceiling": 4800},
    )


def test_an_earlier_start_takes_the_first_version_along(
    agreement: Any, users: dict[str, Any]
) -> None:
    first = agreement.version_for(D(2024, 1, 1))
    services.agreement_update(
        actor=users["anvisningsleder"],
        agreement=agreement,
        period_start=D(2023, 10, 1),
        signed_on=D(2023, 9, 1),
    )
    agreement.refresh_from_db()
    assert agreement.version_for(D(2023, 10, 1)) == first
    first.refresh_from_db()
    assert first.valid_from == D(2023, 10, 1)
    moved = AuditEvent.objects.get(action="agreements.version_update")
    assert (moved.before["valid_from"], moved.after["valid_from"]) == ("2024-01-01", "2023-10-01")


def test_a_later_start_before_the_agreement_is_in_force_takes_the_first_version_along(
    users: dict[str, Any], org_a: Any
) -> None:
    agreement = _future(users, org_a)
    services.agreement_update(
        actor=users["anvisningsleder"],
        agreement=agreement,
        period_start=D(2027, 3, 1),
        today=D(2026, 12, 1),
    )
    agreement.refresh_from_db()
    assert agreement.versions.get().valid_from == D(2027, 3, 1)
    assert agreement.version_for(D(2027, 3, 1)).rent_ceiling == 4800


def test_a_later_start_is_refused_once_the_first_version_has_been_in_force(
    agreement: Any, users: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(
            actor=users["anvisningsleder"],
            agreement=agreement,
            period_start=D(2024, 3, 1),
            today=D(2024, 2, 1),
        )
    assert exc.value.message_dict["period_start"] == [
        "Aftalen kan ikke starte efter sin første version (gælder fra 01.01.2024)."
    ]
    assert agreement.versions.get().valid_from == D(2024, 1, 1)


def test_a_later_start_cannot_pass_the_second_version(users: dict[str, Any], org_a: Any) -> None:
    agreement = _future(users, org_a)
    services.agreement_version_create(
        actor=users["anvisningsleder"], agreement=agreement, valid_from=D(2027, 6, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(
            actor=users["anvisningsleder"],
            agreement=agreement,
            period_start=D(2027, 7, 1),
            today=D(2026, 12, 1),
        )
    assert exc.value.message_dict["period_start"] == [
        "Aftalen skal starte før sin version, der gælder fra 01.06.2027."
    ]
    assert agreement.version_for(D(2027, 1, 1)) is not None


def test_the_first_version_is_not_moved_off_the_start(users: dict[str, Any], org_a: Any) -> None:
    agreement = _future(users, org_a)
    first = agreement.versions.get()
    with pytest.raises(ValidationError) as exc:
        services.agreement_version_update(
            actor=users["anvisningsleder"],
            version=first,
            valid_from=D(2027, 3, 1),
            today=D(2026, 12, 1),
        )
    assert exc.value.message_dict["valid_from"] == [
        "Aftalens første version gælder fra aftalens start (01.01.2027), så vilkårene dækker "
        "hele perioden. Ret aftalens startdato i stedet."
    ]
    assert agreement.version_for(D(2027, 2, 1)) == first
