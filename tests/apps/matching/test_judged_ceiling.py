"""A citizen with no known maximum rent is judged by each vacancy's own ceiling, on every path.

Every vacancy is judged by the agreement version that judged its turn, rent ceiling included.
When a version with a lower ceiling comes into force after a vacancy was accepted, the candidate
page and the offer gate let a citizen with no known maximum rent have that vacancy up to its own
(higher) ceiling; a batch run over it and a vacancy of the new version must say the same, in its
stored domain-form snapshot and when that snapshot is solved again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from anvis.agreements.models import AllocationAgreement
from anvis.agreements.services import agreement_version_create
from anvis.matching import services
from anvis.matching.selectors import batch_snapshot, vacancy_ranking
from anvis.stock.models import Dwelling
from anvis.vacancies import gate
from anvis_core.matching.domain_form import build_problem, parse_domain_input

from .conftest import make_case, open_vacancy

pytestmark = pytest.mark.django_db


def _batch_pairs(snapshot: dict[str, Any]) -> set[tuple[str, str]]:
    """The (case number, vacancy id) pairs the batch engine may assign, from the snapshot."""
    citizens, dwellings, ctx, weights, _objective = parse_domain_input(snapshot)
    problem = build_problem(citizens, dwellings, ctx, weights)
    return {
        (problem.citizen_ids[c], problem.dwelling_ids[d])
        for c, d in zip(problem.pair_citizen.tolist(), problem.pair_dwelling.tolist(), strict=True)
    }


@pytest.fixture
def two_versions(
    users: dict[str, Any], agreement: AllocationAgreement, cheap: Dwelling, org_b: Any, today: Any
) -> dict[str, Any]:
    """Vacancy ``old`` (3,100 kr) accepted today under the 5,000 kr ceiling; from tomorrow a
    version with a 3,000 kr ceiling, under which vacancy ``new`` (2,900 kr) is accepted."""
    old = open_vacancy(users, cheap, today)
    tomorrow = today + dt.timedelta(days=1)
    agreement_version_create(
        actor=users["anvisningsleder"],
        agreement=agreement,
        valid_from=tomorrow,
        rent_ceiling=3000,
        rent_target=2500,
    )
    other = Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100)
    other.rent = 2900
    other.save()
    new = open_vacancy(users, other, tomorrow, rent_at_letting=2900)
    assert old.judged_by.rent_ceiling == 5000 and new.judged_by.rent_ceiling == 3000
    return {"old": old, "new": new, "day": tomorrow}


def test_a_batch_judges_an_unknown_maximum_rent_by_each_vacancys_own_ceiling(
    users: dict[str, Any], two_versions: dict[str, Any]
) -> None:
    old, new, day = two_versions["old"], two_versions["new"], two_versions["day"]
    unknown = make_case(users, "120385-1235", income=None, benefit=None, today=day)
    known = make_case(users, "010190-1234", "Lise", income=None, benefit=None, today=day)
    known.max_rent_override, known.max_rent_override_reason = 3000, "Aftalt med borgeren"
    known.save()

    # The single vacancy: the old vacancy's own 5,000 kr ceiling lets the unknown citizen in,
    # the citizen whose maximum is 3,000 kr is not.
    assert (
        "rent_over_max" not in gate.offer_check(case=unknown, vacancy=old, day=day).findings.codes
    )
    assert "rent_over_max" in gate.offer_check(case=known, vacancy=old, day=day).findings.codes
    ranking = vacancy_ranking(vacancy=old, today=day)
    eligible = {row.case_number for row in ranking.candidates()}
    assert eligible == {unknown.number}
    assert [r.unknown_max_rent for r in ranking.candidates()] == [True]

    # The batch over both vacancies says the same for each of them.
    batch = batch_snapshot(today=day, objective="max_weight")
    assert {d["id"] for d in batch.snapshot["dwellings"]} == {str(old.pk), str(new.pk)}
    pairs = _batch_pairs(batch.snapshot)
    assert pairs == {
        (unknown.number, str(old.pk)),
        (unknown.number, str(new.pk)),
        (known.number, str(new.pk)),
    }
    # The maximum rent stays unknown in the stored snapshot; the known one is written as it is.
    by_id = {c["id"]: c for c in batch.snapshot["citizens"]}
    assert by_id[unknown.number]["max_rent"] is None
    assert by_id[known.number]["max_rent"] == 3000

    # A run over the old vacancy alone proposes the unknown citizen, as the candidate page does,
    # and the offer from the proposal passes the gate.
    run = services.run_create(actor=users["anvisningsleder"], vacancy_pks=[old.pk], today=day)
    assert run.assignments == [{"citizen": unknown.number, "dwelling": str(old.pk)}]
    (outcome,) = services.run_make_offers(
        actor=users["anvisningsleder"], run=run, dwellings=[str(old.pk)], today=day
    )
    assert outcome.ok, outcome.message
