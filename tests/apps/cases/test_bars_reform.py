"""Recording § 59 bar events around the benefit reform of 1 July 2025 (docs/law.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from anvis.cases import adapters, services
from anvis.cases.models import LegalBarEvent
from anvis_core.cases.bars import AreaKind

D = dt.date


@pytest.mark.parametrize(
    ("benefit", "start", "message"),
    [
        ("education_aid", D(2025, 7, 1), "Ydelsen ophørte 30. juni 2025"),
        ("self_support", D(2025, 7, 1), "Ydelsen ophørte 30. juni 2025"),
        ("cash_benefit_minimum", D(2025, 6, 30), "findes fra 1. juli 2025"),
    ],
)
def test_abl_59_benefits_that_did_not_exist_on_the_day_are_refused_in_danish(
    case: Any, users: Any, benefit: str, start: dt.date, message: str
) -> None:
    with translation.override("da"), pytest.raises(ValidationError) as exc:
        services.legal_bar_add(
            actor=users["sagsbehandler"], case=case, kind="benefits", benefit=benefit, date=start
        )
    assert message in str(exc.value)
    assert not LegalBarEvent.objects.exists()


def test_abl_59_stk_7_spell_across_the_reform_bars_the_case(case: Any, users: Any) -> None:
    """Selvforsørgelses- og hjemrejseydelse until 30 June 2025, then kontanthjælp at the minimum
    rate: one spell, barred from forebyggelsesområder from 1 September 2025; ordinary
    kontanthjælp would bar only udsatte boligområder."""
    actor = users["sagsbehandler"]
    services.legal_bar_add(
        actor=actor,
        case=case,
        kind="benefits",
        benefit="self_support",
        date=D(2025, 3, 1),
        end=D(2025, 6, 30),
    )
    services.legal_bar_add(
        actor=actor, case=case, kind="benefits", benefit="cash_benefit_minimum", date=D(2025, 7, 1)
    )
    assert not adapters.case_bars(case, D(2025, 8, 31))[AreaKind.PREVENTION].barred
    bars = adapters.case_bars(case, D(2025, 9, 1))
    assert bars[AreaKind.PREVENTION].open_ended and bars[AreaKind.VULNERABLE].open_ended


def test_abl_59_stk_6_nr_4_citizenship_is_a_period_on_the_case(case: Any, users: Any) -> None:
    event = services.legal_bar_add(
        actor=users["sagsbehandler"],
        case=case,
        kind="non_eu_citizen",
        date=D(2024, 1, 1),
        end=D(2026, 3, 31),
    )
    assert event.to_core().end == D(2026, 3, 31)
    assert adapters.case_bars(case, D(2026, 3, 31))[AreaKind.VULNERABLE].until == D(2026, 3, 31)
    assert not adapters.case_bars(case, D(2026, 4, 1))[AreaKind.VULNERABLE].barred


def test_abl_59_periods_of_different_members_are_not_joined(case: Any, users: Any) -> None:
    """§ 59 speaks of one member of the household: the applicant's three months and the
    partner's four months that follow are two spells, not six consecutive months."""
    actor = users["sagsbehandler"]
    services.legal_bar_add(
        actor=actor,
        case=case,
        kind="benefits",
        benefit="cash_benefit",
        date=D(2025, 7, 1),
        end=D(2025, 9, 30),
    )
    services.legal_bar_add(
        actor=actor,
        case=case,
        kind="benefits",
        benefit="cash_benefit",
        member="partner",
        date=D(2025, 10, 1),
        end=D(2026, 1, 31),
    )
    assert not adapters.case_bars(case, D(2026, 1, 15))[AreaKind.VULNERABLE].barred
    LegalBarEvent.objects.filter(member="partner").update(member="applicant")
    assert adapters.case_bars(case, D(2026, 1, 15))[AreaKind.VULNERABLE].barred
