"""No ethnic criterion in Anvis's own judgements (C-417/23, 18 December 2025).

The imported non-Western share is stored as delivered, but changing it changes no traffic light,
warning, step proposal or matching context; the official list designation is still shown as
published."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from anvis.monitoring.compute import recompute
from anvis.monitoring.models import AreaDesignation, DepartmentIndicators, DepartmentStatus
from anvis.monitoring.selectors import department_status_map, step_proposals
from anvis.vacancies.adapters import load_setting

from .conftest import GREEN_VALUES, TODAY, add_year

# At the socio-economic level of § 61 b (two of four) but not udsat: an early warning.
PREVENTION_LEVEL = {
    **GREEN_VALUES,
    "outside_work_education": D("32.0"),
    "income_relative_region": D("63.0"),
}


def _judgements() -> dict[str, Any]:
    recompute(on_date=TODAY)
    statuses = department_status_map(TODAY)
    return {
        "status": {k: (v.status, v.closed, v.reasons) for k, v in statuses.items()},
        "snapshot": list(
            DepartmentStatus.objects.order_by("pk").values(
                "status", "reasons", "udsat", "forebyggelse", "proposed_share", "proposal_level"
            )
        ),
        "proposals": [
            (r.department_id, r.level, r.share, r.reason_code)
            for r in step_proposals(TODAY.year + 1)
        ],
        "closed": load_setting(today=TODAY, vacancies=[]).context.closed_departments,
    }


@pytest.mark.parametrize("share", [D("0.0"), D("30.1"), D("50.1"), D("100.0")])
def test_non_western_share_changes_no_light_warning_proposal_or_match(
    dept_a: Any, dept_b: Any, share: D
) -> None:
    add_year(dept_a, 2024, PREVENTION_LEVEL)
    add_year(dept_a, 2025, PREVENTION_LEVEL)
    add_year(dept_b, 2024, GREEN_VALUES)
    add_year(dept_b, 2025, GREEN_VALUES)
    before = _judgements()
    assert before["status"][dept_a.pk][0] == "yellow"
    assert before["status"][dept_b.pk][0] == "green"

    DepartmentIndicators.objects.update(non_western=share)
    after = _judgements()
    assert after == before
    assert set(DepartmentIndicators.objects.values_list("non_western", flat=True)) == {share}


def test_official_designation_is_shown_as_published(
    dept_a: Any, dept_b: Any, client_for: Any
) -> None:
    """The list is law: a department on the 2025 forebyggelse list is red and closed whatever
    its own figures say, and its page shows the designation but no non-Western figures."""
    add_year(dept_a, 2025, {**GREEN_VALUES, "non_western": D("61.5")})
    AreaDesignation.objects.create(department=dept_a, list_year=2025, kind="forebyggelse")
    recompute(on_date=TODAY.replace(month=12, day=2))
    info = department_status_map(TODAY.replace(month=12, day=2))[dept_a.pk]
    assert info.status == "red" and info.closed
    assert tuple(info.designations) == ("forebyggelse",)
    page = client_for("anvisningsleder").get(f"/overvaagning/afdelinger/{dept_a.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "forebyggelsesområde" in html
    assert "ikke-vestlige" not in html.lower() and "61,5" not in html
