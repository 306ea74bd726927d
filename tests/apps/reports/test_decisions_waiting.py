"""The fora's decisions still to be followed up: on the overview, on the meeting list and on the
meeting's page, counted alike (open or in progress; past the due date when it lies before
today)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.reports.models import Decision, DecisionStatus, Meeting

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _waiting(page: str) -> str:
    match = re.search(r'<ul class="card-list work-list">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def decisions(dataset: Any) -> Meeting:
    Decision.objects.all().delete()
    meeting = Meeting.objects.create(forum=dataset.forum, held_on=TODAY - dt.timedelta(days=40))
    day = dt.timedelta(days=1)
    for text, status, due in [
        ("Past due", DecisionStatus.OPEN, TODAY - day),
        ("Past due, in progress", DecisionStatus.IN_PROGRESS, TODAY - 9 * day),
        ("Due today", DecisionStatus.OPEN, TODAY),
        ("No due date", DecisionStatus.OPEN, None),
        ("Done late", DecisionStatus.DONE, TODAY - 9 * day),
        ("Dropped", DecisionStatus.DROPPED, TODAY - 9 * day),
    ]:
        Decision.objects.create(meeting=meeting, text=text, status=status, due_on=due)
    return meeting


@pytest.mark.parametrize("role", ["styregruppe", "anvisningsleder"])
def test_overview_counts_open_and_overdue_decisions(
    client_for: Any, decisions: Meeting, role: str
) -> None:
    waiting = _waiting(client_for(role).get("/").content.decode())
    assert "4 beslutninger i fora mangler at blive fulgt op" in waiting
    assert "heraf 2 over deres frist" in waiting
    assert reverse("reports:meeting_list") in waiting


def test_the_meeting_list_and_page_count_as_the_overview(
    client_for: Any, decisions: Meeting
) -> None:
    client = client_for("styregruppe")
    listing = client.get(reverse("reports:meeting_list")).content.decode()
    link = re.escape(reverse("reports:meeting_detail", args=[decisions.pk]))
    row = re.search(rf'<tr>\s*<td><a href="{link}">.*?</tr>', listing, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(0))
    assert cells[0] == "6" and cells[1] == "4" and "2" in cells[2]
    page = client.get(reverse("reports:meeting_detail", args=[decisions.pk])).content.decode()
    assert page.count("Overskredet") == 2


def test_nothing_waits_when_every_decision_is_followed_up_or_dropped(
    client_for: Any, decisions: Meeting
) -> None:
    Decision.objects.exclude(status=DecisionStatus.DROPPED).update(status=DecisionStatus.DONE)
    waiting = _waiting(client_for("styregruppe").get("/").content.decode())
    assert "0 beslutninger i fora mangler at blive fulgt op" in waiting
    assert "over deres frist" not in waiting and "over sin frist" not in waiting


def test_no_card_for_an_organisation_the_meeting_log_is_closed_to(
    client_for: Any, decisions: Meeting
) -> None:
    client = client_for("boligorganisation")
    assert client.get(reverse("reports:meeting_list")).status_code == 403
    assert "beslutning" not in _waiting(client.get("/").content.decode())
