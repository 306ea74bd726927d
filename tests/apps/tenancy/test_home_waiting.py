"""The overview page says what waits on the work lists, counted as the lists count it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from .conftest import NOTE


def _report_arrears(let: dict[str, Any], users: dict[str, Any], on: dt.date) -> None:
    from anvis.tenancy import services
    from anvis.tenancy.services import EventInput

    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=EventInput(kind="arrears", event_date=on, amount=8400, months=2, note=NOTE),
    )


def _waiting(page: str) -> str:
    match = re.search(r'<ul class="card-list work-list">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def test_homes_at_risk_on_the_overview_as_the_list_counts_them(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    from anvis.tenancy.models import FollowUpTask

    today = timezone.localdate()
    worker = client_for("sagsbehandler")
    assert "1 lejemål med en åben opgave" not in _waiting(worker.get("/").content.decode())

    # Arrears reported, and the follow-up task's deadline passed yesterday.
    _report_arrears(let, users, today)
    FollowUpTask.objects.update(deadline=today - dt.timedelta(days=1))
    waiting = _waiting(worker.get("/").content.decode())
    assert "Det venter på dig" in worker.get("/").content.decode()
    assert "1 lejemål med en åben opgave eller en uafklaret advarsel" in waiting
    assert "heraf 1 med en opfølgningsopgave over fristen" in waiting
    risk_page = worker.get(reverse("tenancy:risk_list")).content.decode()
    assert risk_page.count(reverse("tenancy:tenancy_detail", args=[let["lease"].pk])) == 1
    assert "<strong>overskredet</strong>" in risk_page


def test_a_task_within_its_deadline_is_waiting_but_not_urgent(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    _report_arrears(let, users, timezone.localdate())
    waiting = _waiting(client_for("anvisningsleder").get("/").content.decode())
    assert "1 lejemål med en åben opgave" in waiting
    assert "opfølgningsopgave over fristen" not in waiting


def test_organisations_and_the_steering_group_get_no_municipal_work_list(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    _report_arrears(let, users, timezone.localdate())
    for role in ("boligorganisation", "styregruppe"):
        page = client_for(role).get("/").content.decode()
        assert "lejemål" not in _waiting(page)
        assert "lejemål med en åben opgave" not in page
        assert "lejemål markeret" not in page
    # The organisation has its own work lists (tests/apps/vacancies/test_org_waiting.py), the
    # steering group the fora's decisions (tests/apps/reports/test_decisions_waiting.py).
