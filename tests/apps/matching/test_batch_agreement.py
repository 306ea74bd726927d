"""A batch judges each vacancy by whether an agreement is in force for its own organisation, as
the candidate page and the offer gate do for that vacancy alone.

A voluntary offer goes to the municipality also when no allocation agreement covers the
organisation; on the vacancy's candidate page and at the offer gate every citizen then has the
finding ``no_agreement`` (the allocation lead may go on with a written reason). A batch run that
also holds a vacancy of an organisation under an agreement took that agreement for the whole
batch and proposed the uncovered vacancy as if nothing stood in the way, so "Giv tilbud" on the
proposal was refused by the gate.
"""

from __future__ import annotations

from typing import Any

import pytest

from anvis.matching import services
from anvis.matching.selectors import vacancy_ranking
from anvis.stock.models import Dwelling
from anvis.vacancies import gate
from anvis_core.matching.domain_form import parse_domain_input
from anvis_core.matching.gate import check_offer

from .conftest import make_agreement, make_case, open_vacancy

pytestmark = pytest.mark.django_db


def test_a_batch_proposes_no_vacancy_its_candidate_page_has_nobody_for(
    users: dict[str, Any], org_a: Any, org_b: Any, cheap: Dwelling, today: Any
) -> None:
    # Org A is party to no agreement; org B's ceiling is below the rent of org A's vacancy,
    # which the gate judges by the built-in default ceiling (5,000 kr) instead.
    make_agreement(users, [org_b], rent_ceiling=3500)
    uncovered = open_vacancy(users, cheap, today, source="voluntary", rent_at_letting=4000)
    covered = open_vacancy(
        users, Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100), today
    )
    first = make_case(
        users,
        "120385-1235",
        waiting_days=300,
        max_rent_override=4500,
        max_rent_override_reason="Aftalt",
    )
    second = make_case(
        users,
        "010190-1234",
        "Lise",
        waiting_days=100,
        max_rent_override=4500,
        max_rent_override_reason="Aftalt",
    )

    assert gate.offer_check(case=first, vacancy=uncovered, day=today).findings.codes == (
        "no_agreement",
    )
    assert vacancy_ranking(vacancy=uncovered, today=today).eligible_count == 0
    assert vacancy_ranking(vacancy=covered, today=today).eligible_count == 2

    run = services.run_create(actor=users["anvisningsleder"], today=today)
    proposed = {p["dwelling"] for p in run.result["proposals"]}
    assert proposed == {str(covered.pk)}
    # The stored snapshot, solved again, says the same.
    rerun = services.run_rerun(actor=users["anvisningsleder"], run=run)
    assert rerun.same_as_original

    # Every pair of the stored snapshot is judged as the gate judges it.
    citizens, dwellings, ctx, _weights, _objective = parse_domain_input(run.snapshot)
    cases = {c.number: c for c in (first, second)}
    vacancies = {str(v.pk): v for v in (uncovered, covered)}
    for citizen in citizens:
        for dwelling in dwellings:
            expected = gate.offer_check(
                case=cases[citizen.id], vacancy=vacancies[dwelling.id], day=today
            ).findings.codes
            assert check_offer(citizen, dwelling, ctx).codes == expected, (citizen.id, dwelling.id)
