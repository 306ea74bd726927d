from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anvis.vacancies import services
from anvis.vacancies.models import GuaranteeClaim, Lease
from anvis_core.workflow.statement import month_bounds

ROLES = ["sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"]


@pytest.fixture
def lease(users: dict[str, Any], agreement: Any, cheap: Any, case: Any) -> Lease:
    agreement.versions.update(
        guarantee_max_repairs=20_000,
        guarantee_first_year_arrears=False,
        guarantee_repairs_period_months=12,
    )
    today = timezone.localdate()
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"], dwelling=cheap, notice_date=today, available_from=today
    )
    services.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy)
    offer = services.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case)
    services.offer_accept(actor=users["sagsbehandler"], offer=offer)
    return services.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=today,
        move_in_on=today,
    ).lease


def submit(users: dict[str, Any], lease: Lease, **kw: Any) -> GuaranteeClaim:
    args: dict[str, Any] = {
        "actor": users["boligorganisation"],
        "lease": lease,
        "kind": "move_out_repairs",
        "event_date": lease.starts_on,
        "amount": 12_000,
        "description": "Maling og nyt gulv efter fraflytning",
    }
    args.update(kw)
    return services.guarantee_claim_submit(**args)


def test_claim_submitted_and_approved_within_maximum(users: dict[str, Any], lease: Lease) -> None:
    claim = submit(users, lease)
    assert claim.status == "submitted"
    claim = services.guarantee_claim_decide(
        actor=users["anvisningsleder"], claim=claim, approve=True
    )
    assert claim.status == "approved"
    with pytest.raises(ValidationError) as exc:
        submit(users, lease, amount=8_001)
    assert "aftalens maksimum (20.000 kr.)" in str(exc.value)
    assert submit(users, lease, amount=8_000).amount == 8_000


def test_claim_rules_in_danish(users: dict[str, Any], lease: Lease) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(users, lease, kind="first_year_arrears")
    assert "Aftalen dækker ikke denne type krav." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        later = lease.starts_on + dt.timedelta(days=400)
        submit(users, lease, event_date=later, today=later)
    assert "efter garantiperioden (12 måneder fra" in str(exc.value)
    with pytest.raises(PermissionDenied):
        submit(users, lease, actor=users["org_b"])
    with pytest.raises(ValidationError) as exc:
        submit(users, lease, event_date=lease.starts_on + dt.timedelta(days=10))
    assert "Datoen ligger efter i dag" in str(exc.value)


def test_rejection_needs_a_reason_and_is_final(users: dict[str, Any], lease: Lease) -> None:
    claim = submit(users, lease)
    with pytest.raises(ValidationError) as exc:
        services.guarantee_claim_decide(actor=users["anvisningsleder"], claim=claim, approve=False)
    assert "Giv en begrundelse for at afvise kravet." in str(exc.value)
    services.guarantee_claim_decide(
        actor=users["anvisningsleder"], claim=claim, approve=False, reason="Normal slitage"
    )
    with pytest.raises(ValidationError) as exc:
        services.guarantee_claim_decide(actor=users["anvisningsleder"], claim=claim, approve=True)
    assert "Kravet er allerede afgjort" in str(exc.value)


def test_claim_pages_access_and_isolation(
    users: dict[str, Any], client_for: Any, lease: Lease
) -> None:
    claim = submit(users, lease)
    list_url = reverse("vacancies:claim_list")
    for role in ROLES:
        # A claim is one tenant's arrears or repairs: the steering group sees claims only as
        # suppressed aggregates (its dialogue and report), never the list.
        expected = 403 if role == "styregruppe" else 200
        assert client_for(role).get(list_url).status_code == expected, role
    assert "Alfavej" not in client_for("org_b").get(list_url).content.decode()
    assert "Alfavej" in client_for("boligorganisation").get(list_url).content.decode()
    create = reverse("vacancies:claim_create", args=[lease.pk])
    decide = reverse("vacancies:claim_decide", args=[claim.pk])
    for role in ROLES:
        expected_create = 200 if role in {"boligorganisation", "administrator"} else 404
        expected_decide = 200 if role in {"anvisningsleder", "administrator"} else 404
        assert client_for(role).get(create).status_code == expected_create, role
        assert client_for(role).get(decide).status_code == expected_decide, role
    assert client_for("org_b").get(create).status_code == 404
    response = client_for("anvisningsleder").post(decide, {"decision": "reject", "reason": ""})
    assert "Giv en begrundelse for at afvise kravet." in response.content.decode()
    client_for("anvisningsleder").post(decide, {"decision": "approve", "reason": ""})
    claim.refresh_from_db()
    assert claim.status == "approved"
    page = client_for("anvisningsleder").get(list_url).content.decode()
    assert "Godkendt i alt" in page


def test_repairs_without_a_period_and_arrears_with_their_own(
    client_for: Any, users: dict[str, Any], agreement: Any, lease: Lease
) -> None:
    agreement.versions.update(
        guarantee_first_year_arrears=True,
        guarantee_period_months=6,
        guarantee_repairs_period_months=None,
        guarantee_documentation="Syns- og fraflytningsrapport med fotos",
    )
    # Move-out repairs two years on: the agreement sets no time limit for them.
    two_years = lease.starts_on + dt.timedelta(days=730)
    late = submit(users, lease, event_date=two_years, today=two_years)
    assert late.status == "submitted"
    # Arrears after 6 months: refused with the arrears period in the message.
    with pytest.raises(ValidationError) as exc:
        submit(
            users,
            lease,
            kind="first_year_arrears",
            amount=3000,
            event_date=lease.starts_on + dt.timedelta(days=200),
            today=lease.starts_on + dt.timedelta(days=200),
        )
    assert "efter garantiperioden (6 måneder fra" in str(exc.value)
    form = client_for("boligorganisation").get(reverse("vacancies:claim_create", args=[lease.pk]))
    assert (
        "Aftalen kræver denne dokumentation: Syns- og fraflytningsrapport med fotos"
        in form.content.decode()
    )


def test_the_same_claim_is_not_submitted_or_approved_twice(
    users: dict[str, Any], lease: Lease
) -> None:
    first = submit(users, lease, amount=5_000)
    with pytest.raises(ValidationError) as exc:
        submit(users, lease, amount=5_000)
    assert "Det samme krav (art, dato og beløb) blev indsendt" in str(exc.value)
    # Another amount, or the first one rejected, is a claim of its own.
    assert submit(users, lease, amount=3_000).amount == 3_000
    # Two identical claims from before the rule: only one of them can be approved.
    twin = GuaranteeClaim.objects.create(
        lease=lease,
        kind=first.kind,
        event_date=first.event_date,
        amount=first.amount,
        description="Samme igen",
        submitted_on=first.submitted_on,
    )
    services.guarantee_claim_decide(actor=users["anvisningsleder"], claim=first, approve=True)
    with pytest.raises(ValidationError):
        services.guarantee_claim_decide(actor=users["anvisningsleder"], claim=twin, approve=True)
    services.guarantee_claim_decide(
        actor=users["anvisningsleder"], claim=twin, approve=False, reason="Dublet"
    )


def test_the_claim_form_reads_danish_amounts_and_refuses_huge_ones(
    users: dict[str, Any], client_for: Any, lease: Lease
) -> None:
    create = reverse("vacancies:claim_create", args=[lease.pk])
    client = client_for("boligorganisation")
    data = {
        "kind": "move_out_repairs",
        "event_date": lease.starts_on.isoformat(),
        "description": "Maling",
    }
    response = client.post(create, {**data, "amount": "99999999999999999999"})
    assert response.status_code == 422
    assert "mindre end eller lig 10000000" in response.content.decode()
    assert not GuaranteeClaim.objects.exists()
    response = client.post(create, {**data, "amount": "12.000"})
    assert response.status_code == 302
    assert GuaranteeClaim.objects.get().amount == 12_000


def test_claim_amounts_are_written_with_thousands_separators(
    users: dict[str, Any], client_for: Any, lease: Lease
) -> None:
    claim = submit(users, lease, amount=12_000)
    decide = client_for("anvisningsleder").get(reverse("vacancies:claim_decide", args=[claim.pk]))
    assert "12.000 kr. · Maling og nyt gulv" in decide.content.decode()
    services.guarantee_claim_decide(actor=users["anvisningsleder"], claim=claim, approve=True)
    page = client_for("anvisningsleder").get(
        reverse("vacancies:vacancy_detail", args=[lease.vacancy_id])
    )
    timeline = page.content.decode().split('<ol class="timeline">', 1)[1]
    assert timeline.count(": 12.000 kr.") == 2  # submitted and approved
    assert "12000" not in timeline


@pytest.mark.parametrize("role", ROLES)
def test_the_vacancy_page_shows_claims_to_those_whose_scope_holds_them(
    users: dict[str, Any], client_for: Any, lease: Lease, role: str
) -> None:
    """A claim is one tenant's arrears or repairs (`GuaranteeClaimQuerySet.personal_data`): the
    vacancy page lists it, and its timeline line says its kind and amount, only to those whose
    row scope holds it; the steering group reaches the page but sees neither."""
    claim = submit(users, lease)
    services.guarantee_claim_decide(
        actor=users["anvisningsleder"], claim=claim, approve=False, reason="Normal slitage"
    )
    page = client_for(role).get(reverse("vacancies:vacancy_detail", args=[lease.vacancy_id]))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    shown = role != "styregruppe"
    for detail in ("12.000", "Normal slitage", "Istandsættelse ved fraflytning"):
        assert (detail in text) is shown, detail
    if not shown:
        assert "Garantikrav handler om en enkelt lejer" in text
        assert "Ingen krav." not in text


@pytest.mark.parametrize(
    ("role", "one_by_one"),
    [("anvisningsleder", True), ("boligorganisation", True), ("styregruppe", False)],
)
def test_the_monthly_statement_lists_claims_to_those_whose_scope_holds_them(
    client_for: Any, users: dict[str, Any], lease: Lease, role: str, one_by_one: bool
) -> None:
    """The statement is read by every role, but a guarantee payment is about one tenant: the
    steering group, outside the claims' row scope, reads their number and total on the page and
    in the XLSX file, not the dwelling and kind of each."""
    import io

    from openpyxl import load_workbook

    claim = submit(users, lease)
    services.guarantee_claim_decide(actor=users["anvisningsleder"], claim=claim, approve=True)
    today = timezone.localdate()
    url = (
        reverse("vacancies:statement")
        + f"?organisation={lease.vacancy.organisation_id}&month={today:%Y-%m}"
    )
    client = client_for(role)
    page = html.unescape(client.get(url).content.decode())
    assert "12.000,00" in page  # the total, for everyone
    assert ("Istandsættelse ved fraflytning" in page) is one_by_one
    assert ("1 garantibetaling (vises kun for parterne)" in page) is not one_by_one
    sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == "Garanti"]
    assert len(rows) == 1 and float(rows[0][-1]) == 12_000
    assert (rows[0][1] == "1 garantibetaling (vises kun for parterne)") is not one_by_one


def test_a_claim_approved_on_a_months_last_day_is_paid_on_that_months_statement(
    users: dict[str, Any], lease: Lease
) -> None:
    """The month's statement takes the claims decided in the month. On its last day the month
    has not ended: a claim (or a hand-back) can still be decided that day, so the statement is
    approved from the next day on. Approved on the last day, a claim decided later that day was
    on no statement: not on the frozen one, and the next month's takes only its own claims."""
    lead = users["anvisningsleder"]
    first, nxt = month_bounds(lease.starts_on)
    last = nxt - dt.timedelta(days=1)
    organisation_id = lease.vacancy.organisation_id
    claim = submit(users, lease, today=last)
    with pytest.raises(ValidationError) as exc:
        services.statement_approve(
            actor=lead, organisation_id=organisation_id, month=first, today=last
        )
    assert exc.value.code == "month_not_ended"
    services.guarantee_claim_decide(actor=lead, claim=claim, approve=True, today=last)
    statement = services.statement_approve(
        actor=lead, organisation_id=organisation_id, month=first, today=nxt
    )
    assert [g["ref"] for g in statement.content["guarantees"]] == [claim.pk]
    assert statement.content["guarantee_total"] == "12000.00"
