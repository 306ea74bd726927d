"""A lease cancelled before move-in (`services.lease_cancel`): each effect on its own, the
refusals, and the vacancy page by role. The API is in tests/apps/api/test_lease_cancel.py."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from anvis.agreements.models import TurnRecord
from anvis.audit.models import AuditEvent
from anvis.cases.models import Case, CaseEvent
from anvis.monitoring.models import MunicipalPlacement
from anvis.monitoring.placements import placement_counts
from anvis.notifications.models import Notification
from anvis.tenancy.models import Tenancy
from anvis.tenancy.services import EventInput, tenancy_event_report
from anvis.vacancies import gate, selectors, services
from anvis.vacancies.models import Lease, StatementCorrection, Vacancy

from .conftest import REPORT_DAY

D = dt.date
SIGNED = D(2026, 3, 10)
STARTS = D(2026, 3, 20)
CANCELLED = D(2026, 3, 25)
TODAY = D(2026, 4, 2)


@pytest.fixture
def let(users: dict[str, Any], agreement: Any, cheap: Any, case: Any) -> Lease:
    """Org A's cheap dwelling (3100 kr a month), reported and accepted 04.03.2026, offered
    05.03 and accepted by the citizen 06.03; the lease signed 10.03 starts and is moved into
    20.03.2026."""
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY - dt.timedelta(days=30),
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
    )
    offer = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=D(2026, 3, 5)
    )
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=D(2026, 3, 6))
    return services.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=SIGNED,
        starts_on=STARTS,
        move_in_on=STARTS,
        today=SIGNED,
    ).lease


def cancel(actor: Any, lease: Lease, **kw: Any) -> Any:
    values = {"cancelled_on": CANCELLED, "reason": "Borgeren trak sig", "today": TODAY, **kw}
    return services.lease_cancel(actor=actor, lease=lease, **values)


# --- the effects, one by one ----------------------------------------------------------------------


def test_the_lease_is_kept_marked_cancelled(users: dict[str, Any], let: Lease) -> None:
    org = users["boligorganisation"]
    cancel(org, let)
    lease = Lease.objects.get(pk=let.pk)
    assert (lease.cancelled_on, lease.cancellation_reason, lease.cancelled_by) == (
        CANCELLED,
        "Borgeren trak sig",
        org,
    )
    assert lease.offer is not None and lease.offer.status == "lease_cancelled"
    assert AuditEvent.objects.filter(action="vacancies.lease_cancel", object_id=str(let.pk))


def test_the_vacancy_is_accepted_again_ready_for_a_new_offer(
    users: dict[str, Any], let: Lease
) -> None:
    before = Vacancy.objects.get(pk=let.vacancy_id)
    assert (before.status, before.let_from) == ("let", STARTS)
    cancel(users["anvisningsleder"], let)
    vacancy = Vacancy.objects.get(pk=let.vacancy_id)
    assert (vacancy.status, vacancy.let_from, vacancy.lease) == ("accepted", None, None)
    # The answer stands as given; an accepted vacancy has no deadline running.
    assert (vacancy.response_deadline, vacancy.answered_on) == (
        before.response_deadline,
        before.answered_on,
    )
    line = vacancy.events.order_by("-pk").first()
    assert line is not None and (line.from_status, line.to_status) == ("let", "accepted")


def test_the_ledger_turn_is_unchanged(users: dict[str, Any], let: Lease) -> None:
    record = Vacancy.objects.get(pk=let.vacancy_id).turn_record
    assert record is not None
    before = TurnRecord.objects.filter(pk=record.pk).values().get()
    cancel(users["boligorganisation"], let)
    assert TurnRecord.objects.filter(pk=record.pk).values().get() == before
    assert Vacancy.objects.get(pk=let.vacancy_id).turn_record_id == record.pk


def test_the_case_waits_again_with_its_waiting_time_and_a_timeline_line(
    users: dict[str, Any], let: Lease, case: Any
) -> None:
    housed = Case.objects.get(pk=case.pk)
    assert housed.status == "housed"
    cancel(users["boligorganisation"], let)
    waiting = Case.objects.get(pk=case.pk)
    assert waiting.status == "waiting"
    assert (waiting.waiting_since, waiting.priority_total) == (
        housed.waiting_since,
        housed.priority_total,
    )
    line = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    assert line is not None
    assert "blev ophævet før indflytning den 25.03.2026" in line.summary
    assert line.note == "Borgeren trak sig"  # the free text is kept as an encrypted note


def test_the_placement_no_longer_counts_in_the_caps(users: dict[str, Any], let: Lease) -> None:
    department = let.vacancy.dwelling.entrance.department_id
    assert placement_counts(TODAY)[0].get(department) == 1
    cancel(users["boligorganisation"], let)
    assert placement_counts(TODAY)[0].get(department) is None
    assert not MunicipalPlacement.objects.exists()
    assert AuditEvent.objects.filter(action="monitoring.placement_withdraw").exists()


def test_the_tenancy_is_removed_and_out_of_every_retention_figure(
    users: dict[str, Any], let: Lease, client_for: Any
) -> None:
    from anvis.tenancy.selectors import tenancy_report_rows

    page = reverse("tenancy:tenancy_detail", args=[let.pk])
    assert Tenancy.objects.filter(lease=let).exists()
    assert len(tenancy_report_rows(TODAY)) == 1
    assert client_for("anvisningsleder").get(page).status_code == 200
    cancel(users["boligorganisation"], let)
    assert not Tenancy.objects.filter(lease=let).exists()
    assert tenancy_report_rows(TODAY) == []
    assert not selectors.running_leases().exists()
    assert client_for("anvisningsleder").get(page).status_code == 404
    assert AuditEvent.objects.filter(action="tenancy.remove").exists()


def test_void_rent_runs_again_from_its_start(users: dict[str, Any], let: Lease) -> None:
    vacancy = Vacancy.objects.get(pk=let.vacancy_id)
    account = vacancy.void_rent_on(TODAY)
    assert account is not None and account.rent.days == 16  # 04.03–19.03
    cancel(users["boligorganisation"], let)
    vacancy = Vacancy.objects.get(pk=let.vacancy_id)
    account = vacancy.void_rent_on(TODAY)
    assert account is not None and account.rent.days == 30  # 04.03–02.04, still running
    # The cancelled lease settles nothing: no void rent ended by it in the quarter.
    assert selectors.settled_void_rent(start=D(2026, 1, 1), end=D(2026, 3, 31)) == []


def test_an_approved_statement_gets_a_correction_line(
    users: dict[str, Any], let: Lease, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """March was approved with the void rent up to the lease start (16 days); the lease is
    cancelled, so March owes all its 28 days: the difference is a correction line, through the
    same machinery as a late lease; the frozen record is not touched."""
    lead = users["anvisningsleder"]
    march = services.statement_approve(
        actor=lead, organisation_id=org_a.pk, month=D(2026, 3, 1), today=TODAY
    )
    assert march.content["void_rent_total"] == "1630.68"  # 3100 × 12 × 16 / 365
    with django_capture_on_commit_callbacks(execute=True):
        result = cancel(users["boligorganisation"], let)
    (correction,) = StatementCorrection.objects.filter(vacancy_id=let.vacancy_id)
    assert (correction.statement_id, correction.amount) == (march.pk, Decimal("1223.02"))
    assert "ophævet før indflytning" in correction.reason
    assert result.corrections == (
        "Den godkendte opgørelse for marts 2026 er rettet med 1.223,02 kr.",
    )
    assert Notification.objects.filter(kind="statement_corrected", recipient=lead).exists()


def test_a_late_lease_and_its_cancellation_correct_each_other(
    users: dict[str, Any], agreement: Any, cheap: Any, case: Any, org_a: Any
) -> None:
    """March and April were approved while the dwelling stood empty; a lease registered in May
    and starting 20 March corrects them down; its cancellation corrects them back up, from what
    each month paid so far (the approved line and the earlier correction)."""
    lead = users["anvisningsleder"]
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY - dt.timedelta(days=30),
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    vacancy = services.vacancy_accept(actor=lead, vacancy=vacancy, today=REPORT_DAY)
    offer = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=D(2026, 3, 5)
    )
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=D(2026, 3, 6))
    for month in (D(2026, 3, 1), D(2026, 4, 1)):
        services.statement_approve(
            actor=lead, organisation_id=org_a.pk, month=month, today=D(2026, 5, 2)
        )
    lease = services.lease_register(
        actor=lead,
        offer=offer,
        signed_on=D(2026, 5, 2),
        starts_on=STARTS,
        move_in_on=STARTS,
        today=D(2026, 5, 2),
    ).lease
    services.lease_cancel(
        actor=lead,
        lease=lease,
        cancelled_on=D(2026, 5, 4),
        reason="Annulleret",
        today=D(2026, 5, 4),
    )
    amounts = [
        (c.statement.month, c.amount)
        for c in StatementCorrection.objects.select_related("statement").order_by("pk")
    ]
    assert amounts == [
        (D(2026, 3, 1), Decimal("-1223.02")),
        (D(2026, 4, 1), Decimal("-3057.53")),
        (D(2026, 3, 1), Decimal("1223.02")),
        (D(2026, 4, 1), Decimal("3057.53")),
    ]


def test_a_new_offer_and_a_new_lease_are_possible_afterwards(
    users: dict[str, Any], let: Lease, case: Any, case2: Any
) -> None:
    cancel(users["boligorganisation"], let)
    vacancy = Vacancy.objects.get(pk=let.vacancy_id)
    # The citizen is no longer housed nor holding an offer: the gate admits them again.
    codes = gate.offer_check(case=Case.objects.get(pk=case.pk), vacancy=vacancy, day=TODAY)
    assert "housed" not in codes.findings.codes
    assert "active_offer" not in codes.findings.codes
    offer = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case2, today=TODAY
    )
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=TODAY)
    second = services.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=TODAY,
        starts_on=D(2026, 4, 15),
        move_in_on=D(2026, 4, 15),
        today=TODAY,
    ).lease
    vacancy = Vacancy.objects.get(pk=let.vacancy_id)
    assert (vacancy.status, vacancy.lease) == ("let", second)
    assert set(vacancy.leases.all()) == {let, second}
    assert Case.objects.get(pk=case2.pk).status == "housed"


def test_the_database_holds_at_most_one_standing_lease_per_vacancy(
    users: dict[str, Any], let: Lease
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.create(
            vacancy_id=let.vacancy_id, signed_on=SIGNED, starts_on=STARTS, move_in_on=STARTS
        )
    cancel(users["boligorganisation"], let)
    Lease.objects.create(
        vacancy_id=let.vacancy_id, signed_on=SIGNED, starts_on=STARTS, move_in_on=STARTS
    )


def test_the_caseworker_and_the_organisation_are_told_not_the_actor(
    users: dict[str, Any], let: Lease, case: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case.caseworker = users["sagsbehandler"]
    case.save()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(users["anvisningsleder"], let)
    told = Notification.objects.filter(kind="lease_cancelled")
    assert set(told.values_list("recipient__username", flat=True)) == {
        "u_sagsbehandler",
        "u_boligorganisation",
    }
    assert case.number in told.get(recipient=users["sagsbehandler"]).body
    assert case.number not in told.get(recipient=users["boligorganisation"]).body
    # Not "the municipality takes the dwelling" again, nor "ready to offer" to every caseworker.
    assert not Notification.objects.filter(kind__in=["vacancy_taken", "vacancy_ready"]).exists()


def test_recorded_by_the_organisation_the_lead_is_told_instead(
    users: dict[str, Any], let: Lease, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        cancel(users["boligorganisation"], let)
    told = set(
        Notification.objects.filter(kind="lease_cancelled").values_list(
            "recipient__username", flat=True
        )
    )
    assert "u_anvisningsleder" in told
    assert "u_boligorganisation" not in told


# --- refusals -------------------------------------------------------------------------------------


def _unchanged(lease: Lease) -> None:
    assert Lease.objects.get(pk=lease.pk).cancelled_on is None
    assert Vacancy.objects.get(pk=lease.vacancy_id).status == "let"
    assert MunicipalPlacement.objects.count() == 1
    assert Tenancy.objects.filter(lease=lease).exists()


def test_refused_once_the_tenancy_has_events_of_its_own(users: dict[str, Any], let: Lease) -> None:
    tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let,
        data=EventInput(kind="arrears", event_date=D(2026, 3, 24), amount=3100, months=1),
        today=D(2026, 3, 24),
    )
    with pytest.raises(ValidationError) as refused:
        cancel(users["boligorganisation"], let)
    assert refused.value.code == "moved_in"
    assert "meld i stedet fraflytningen på boligforløbet" in refused.value.messages[0]
    Lease.objects.get(pk=let.pk)
    assert Vacancy.objects.get(pk=let.vacancy_id).status == "let"


@pytest.mark.parametrize("who", ["org_b", "sagsbehandler", "styregruppe"])
def test_refused_for_another_organisation_and_other_roles(
    users: dict[str, Any], let: Lease, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        cancel(users[who], let)
    _unchanged(let)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"cancelled_on": SIGNED - dt.timedelta(days=1)},
            "cancelled_on",
            "før den blev underskrevet",
        ),
        ({"cancelled_on": TODAY + dt.timedelta(days=1)}, "cancelled_on", "senere end i dag"),
        ({"reason": "  "}, "reason", "Angiv hvorfor lejeaftalen blev ophævet"),
    ],
)
def test_refused_with_a_danish_message_naming_the_field(
    users: dict[str, Any], let: Lease, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        cancel(users["boligorganisation"], let, **values)
    assert message in refused.value.message_dict[field][0]
    _unchanged(let)


def test_the_signing_day_and_today_are_allowed(users: dict[str, Any], let: Lease) -> None:
    cancel(users["boligorganisation"], let, cancelled_on=SIGNED, today=SIGNED)
    assert Lease.objects.get(pk=let.pk).cancelled_on == SIGNED


def test_refused_twice(users: dict[str, Any], let: Lease) -> None:
    cancel(users["boligorganisation"], let)
    with pytest.raises(ValidationError) as refused:
        cancel(users["anvisningsleder"], let)
    assert refused.value.code == "lease_cancelled"


# --- the page -------------------------------------------------------------------------------------

BUTTON = "Lejeaftalen ophævet før indflytning"


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("boligorganisation", True),
        ("anvisningsleder", True),
        ("administrator", True),
        ("sagsbehandler", False),
        ("styregruppe", False),
    ],
)
def test_the_button_is_shown_to_those_allowed(
    client_for: Any, let: Lease, role: str, shown: bool
) -> None:
    page = client_for(role).get(reverse("vacancies:vacancy_detail", args=[let.vacancy_id]))
    assert page.status_code == 200
    assert (BUTTON in html.unescape(page.content.decode())) is shown


def test_the_button_is_gone_once_the_tenant_moved_in(
    users: dict[str, Any], client_for: Any, let: Lease
) -> None:
    tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let,
        data=EventInput(kind="arrears", event_date=D(2026, 3, 24), amount=3100, months=1),
        today=D(2026, 3, 24),
    )
    page = client_for("boligorganisation").get(
        reverse("vacancies:vacancy_detail", args=[let.vacancy_id])
    )
    assert BUTTON not in html.unescape(page.content.decode())


def test_the_form_cancels_and_the_page_shows_the_record(
    client_for: Any, let: Lease, case: Any
) -> None:
    client = client_for("boligorganisation")
    url = reverse("vacancies:lease_cancel", args=[let.pk])
    form = client.get(url)
    assert form.status_code == 200
    text = html.unescape(form.content.decode())
    assert BUTTON in text and "Begrundelse" in text
    response = client.post(
        url, {"cancelled_on": "2026-03-25", "reason": "Borgeren trak sig"}, follow=True
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Lejeaftaler ophævet før indflytning" in page
    assert "Borgeren trak sig" in page
    assert Vacancy.objects.get(pk=let.vacancy_id).status == "accepted"
    assert BUTTON not in page.split("Lejeaftaler ophævet før indflytning")[0]


def test_the_form_names_the_field_in_danish(client_for: Any, let: Lease) -> None:
    response = client_for("anvisningsleder").post(
        reverse("vacancies:lease_cancel", args=[let.pk]), {"cancelled_on": "2026-03-25"}
    )
    assert response.status_code == 422
    assert "Angiv hvorfor lejeaftalen blev ophævet før indflytning." in html.unescape(
        response.content.decode()
    )
    assert Lease.objects.get(pk=let.pk).cancelled_on is None


@pytest.mark.parametrize("role", ["org_b", "sagsbehandler"])
def test_the_form_is_not_found_for_others(client_for: Any, let: Lease, role: str) -> None:
    url = reverse("vacancies:lease_cancel", args=[let.pk])
    assert client_for(role).get(url).status_code == 404
    response = client_for(role).post(url, {"cancelled_on": "2026-03-25", "reason": "x"})
    assert response.status_code == 404
    assert Lease.objects.get(pk=let.pk).cancelled_on is None


@pytest.mark.parametrize(
    ("role", "reason_shown"),
    [
        ("anvisningsleder", True),
        ("sagsbehandler", True),
        ("boligorganisation", True),
        ("styregruppe", False),
    ],
)
def test_the_reason_is_read_by_the_parties_not_the_steering_group(
    users: dict[str, Any], client_for: Any, let: Lease, role: str, reason_shown: bool
) -> None:
    cancel(users["anvisningsleder"], let, reason="Borgeren er indlagt på afrusning")
    page = client_for(role).get(reverse("vacancies:vacancy_detail", args=[let.vacancy_id]))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "Lejeaftaler ophævet før indflytning" in text
    assert ("Borgeren er indlagt på afrusning" in text) is reason_shown


@pytest.mark.parametrize("cpr", ["120385-1235", "1203851235", "120385 1235"])
def test_a_cpr_number_in_the_reason_is_refused_before_anyone_is_told(
    users: dict[str, Any], let: Lease, django_capture_on_commit_callbacks: Any, cpr: str
) -> None:
    """The reason goes into the notification (and e-mail) to the organisation's staff and the
    caseworker, whose texts never hold a CPR number (docs/privacy.md): it is refused, naming the
    field, as a hand-held request's pseudonymous fields are."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as no:
        cancel(users["anvisningsleder"], let, reason=f"Borgeren med CPR {cpr} trak sig")
    assert "Skriv ikke CPR-numre her" in no.value.message_dict["reason"][0]
    _unchanged(let)
    assert not Notification.objects.filter(body__contains=cpr).exists()


def test_a_reason_over_the_limit_is_refused_by_the_service_as_by_the_page_and_the_api(
    users: dict[str, Any], let: Lease
) -> None:
    """The service holds the limit the page's and the API's fields read (`MAX_REASON`), as it
    does for a hand-back's reason."""
    from anvis.vacancies.limits import MAX_REASON

    with pytest.raises(ValidationError) as exc:
        cancel(users["boligorganisation"], let, reason="x" * (MAX_REASON + 1))
    assert list(exc.value.message_dict) == ["reason"]
    let.refresh_from_db()
    assert not let.is_cancelled
