from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from anvis.matching import services
from anvis.matching.models import MatchingRun
from anvis.stock.models import Dwelling
from anvis_core.cli import main as anvis_main

from .conftest import make_agreement, make_case, open_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def capped(users: dict[str, Any], org_a: Any, org_b: Any, today: dt.date) -> list[Any]:
    """Three open vacancies: two in org B's one stairwell (cap 1 per stairwell), one in org A."""
    make_agreement(users, [org_a, org_b], cap_per_entrance_12m=1)
    b_cheap = Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100)
    b_other = Dwelling.objects.get(entrance__department__organisation=org_b, rent=5600)
    b_other.rent = 4000
    b_other.save()
    a_cheap = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    return [
        open_vacancy(users, b_cheap, today),
        open_vacancy(users, b_other, today, rent_at_letting=4000),
        open_vacancy(users, a_cheap, today),
    ]


def test_run_respects_the_stairwell_cap_and_reproduces(
    users: dict[str, Any], capped: list[Any], today: dt.date, tmp_path: Path
) -> None:
    cases = [
        make_case(users, cpr, name, waiting_days=days)
        for cpr, name, days in (
            ("120385-1235", "Karl", 300),
            ("010190-1234", "Lise", 200),
            ("311288-1235", "Ole", 100),
        )
    ]
    run = services.run_create(
        actor=users["anvisningsleder"], objective="max_count_then_weight", today=today
    )
    assert run.status == "optimal"
    dwellings = [a["dwelling"] for a in run.assignments]
    org_b_ids = {str(v.pk) for v in capped[:2]}
    assert len([d for d in dwellings if d in org_b_ids]) == 1  # the stairwell cap
    assert len(run.assignments) == 2
    assert run.snapshot["caps"]["entrance"]
    assert {c["id"] for c in run.snapshot["citizens"]} == {c.number for c in cases}
    assert run.parameters == {
        "objective": "max_count_then_weight",
        "vacancies": "all",
        "citizens": "all",
    }
    # The same snapshot solved again, in the service and by `anvis match`, gives the same answer.
    again = services.solve_snapshot(run.snapshot)
    assert services.same_result(again, run.result)
    assert again["proposals"] == run.result["proposals"]
    problem, out = tmp_path / "snapshot.json", tmp_path / "result.json"
    problem.write_text(json.dumps(run.snapshot), encoding="utf-8")
    assert anvis_main(["match", str(problem), "--out", str(out)]) == 0
    cli = json.loads(out.read_text(encoding="utf-8"))
    assert cli["assignments"] == run.result["assignments"]
    assert cli["total_weight"] == run.result["total_weight"]


def test_run_with_chosen_vacancies_and_citizens(
    users: dict[str, Any], capped: list[Any], today: dt.date
) -> None:
    first = make_case(users, "120385-1235", waiting_days=300)
    make_case(users, "010190-1234", "Lise", waiting_days=200)
    run = services.run_create(
        actor=users["anvisningsleder"],
        vacancy_pks=[capped[2].pk],
        case_numbers=[first.number],
        today=today,
    )
    assert (run.vacancy_count, run.citizen_count) == (1, 1)
    assert run.assignments == [{"citizen": first.number, "dwelling": str(capped[2].pk)}]
    assert run.parameters["vacancies"] == [capped[2].pk]


def test_run_without_vacancies_is_refused_in_danish(
    users: dict[str, Any], agreement: Any, today: dt.date
) -> None:
    from django.utils import translation

    make_case(users, "120385-1235")
    with translation.override("da"), pytest.raises(ValidationError) as exc:
        services.run_create(actor=users["anvisningsleder"], today=today)
    assert "Der er ingen ledige kommunale boliger at matche." in exc.value.messages
    assert not MatchingRun.objects.exists()


def test_a_batch_judges_each_vacancy_by_its_own_organisations_agreement(
    users: dict[str, Any], org_a: Any, org_b: Any, today: dt.date
) -> None:
    """Two organisations under two agreements: org B's caps each department at no placements,
    org A's has no cap. The batch must read each vacancy's caps from the agreement of its own
    organisation, as the gate does for that vacancy (it read one agreement's caps for every
    vacancy of the run, so org A's dwelling was kept from a citizen the gate let through)."""
    from anvis.vacancies import gate

    make_agreement(users, [org_b], cap_per_department_12m=0)
    make_agreement(users, [org_a])
    a_vacancy = open_vacancy(
        users, Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100), today
    )
    b_vacancy = open_vacancy(
        users, Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100), today
    )
    case = make_case(users, "120385-1235")
    assert gate.offer_check(case=case, vacancy=a_vacancy, day=today).findings.codes == ()
    assert gate.offer_check(case=case, vacancy=b_vacancy, day=today).findings.codes == (
        "cap_reached",
    )
    run = services.run_create(actor=users["anvisningsleder"], today=today)
    assert run.snapshot["caps"] == {
        "department": {
            str(b_vacancy.dwelling.entrance.department_id): {"max": 0, "min": 0, "placed": 0}
        }
    }
    assert run.assignments == [{"citizen": case.number, "dwelling": str(a_vacancy.pk)}]
    (outcome,) = services.run_make_offers(
        actor=users["anvisningsleder"], run=run, dwellings=[str(a_vacancy.pk)], today=today
    )
    assert outcome.ok, outcome.message
