"""Rules that follow the citizen and the flow, not one page: the case's status page leaves the
flow's statuses to the flow, a re-entry keeps the citizen's bars and declined dwellings, an
offered vacancy is not let through the organisation's own waiting list, a lease's offer stops
counting against the caps once its placement does, and one offer that cannot expire does not
stop the others."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anvis.cases import services as case_services
from anvis.cases.models import Case
from anvis.stock.models import Dwelling
from anvis.tenancy import services as tenancy_services
from anvis.vacancies import gate
from anvis.vacancies import services as flow
from anvis.vacancies.adapters import active_offer_counts
from anvis.vacancies.models import Offer
from anvis.vacancies.pool import load_citizens
from anvis_core.cases.status import BY_HAND, TRANSITIONS, CaseStatus

from .conftest import make_case
from .test_gate import _open

pytestmark = pytest.mark.django_db

CPR = "120385-1235"


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _offered(users: dict[str, Any], dwelling: Dwelling, day: dt.date) -> tuple[Any, Any, Offer]:
    """A waiting citizen's case, the dwelling's accepted vacancy and the pending offer."""
    case = make_case(users, CPR)
    vacancy = _open(users, dwelling, day)
    offer = flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=day)
    return case, vacancy, offer


def _leased(users: dict[str, Any], offer: Offer, day: dt.date, starts: dt.date) -> Any:
    """The offer accepted on ``day`` and its lease signed that day, starting on ``starts``."""
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=day)
    return flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=day,
        starts_on=starts,
        move_in_on=starts,
    ).lease


def test_by_hand_is_a_part_of_the_flows_transitions() -> None:
    for status in CaseStatus:
        assert BY_HAND[status] <= TRANSITIONS[status]
    # The flow's statuses are never set by hand, and an offered case is not closed by hand.
    assert all(CaseStatus.OFFERED not in t and CaseStatus.HOUSED not in t for t in BY_HAND.values())
    assert BY_HAND[CaseStatus.OFFERED] == frozenset()


def test_an_offered_case_is_closed_only_after_its_offer_is_withdrawn(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, client_for: Any, today: dt.date
) -> None:
    case, _vacancy, offer = _offered(users, cheap, today)
    client = client_for("sagsbehandler")
    page = client.get(reverse("cases:case_overview", args=[case.pk])).content.decode()
    assert 'name="status"' not in page
    assert "Træk tilbuddet tilbage først" in page

    response = client.post(reverse("cases:case_status", args=[case.pk]), {"status": "closed"})
    assert response.status_code == 422
    assert "Træk først tilbuddet tilbage på ledigheden" in html.unescape(response.content.decode())
    with pytest.raises(ValidationError) as info:
        case_services.case_transition(
            actor=users["sagsbehandler"], case=case, status="closed", by_hand=True
        )
    assert "Træk først tilbuddet tilbage" in " ".join(info.value.messages)
    case.refresh_from_db()
    offer.refresh_from_db()
    assert (case.status, offer.status) == ("offered", "pending")

    flow.offer_withdraw(actor=users["sagsbehandler"], offer=offer, today=today)
    response = client.post(
        reverse("cases:case_status", args=[case.pk]), {"status": "closed", "confirm_close": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_the_status_page_does_not_set_the_flows_statuses(
    users: dict[str, Any], client_for: Any
) -> None:
    case = make_case(users, CPR)
    client = client_for("sagsbehandler")
    for status, message in (
        ("offered", "“Tilbudt bolig” sættes af tilbuddet og lejekontrakten"),
        ("housed", "En sag kan ikke gå fra Venter til Bosat."),
    ):
        response = client.post(reverse("cases:case_status", args=[case.pk]), {"status": status})
        assert response.status_code == 422, status
        with pytest.raises(ValidationError) as info:
            case_services.case_transition(
                actor=users["sagsbehandler"], case=case, status=status, by_hand=True
            )
        assert message in " ".join(info.value.messages)
    case.refresh_from_db()
    assert case.status == "waiting"


def test_a_reentry_keeps_the_citizens_bars_and_declined_dwellings(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    worker = users["sagsbehandler"]
    first = make_case(users, CPR)
    case_services.legal_bar_add(
        actor=worker, case=first, kind="prison_release", date=today - dt.timedelta(days=30)
    )
    vacancy = _open(users, cheap, today)
    offer = flow.offer_create(actor=worker, vacancy=vacancy, case=first, today=today)
    flow.offer_decline(actor=worker, offer=offer, reason="provider_other", today=today)
    first.refresh_from_db()
    case_services.case_transition(actor=worker, case=first, status="closed", by_hand=True)

    second = make_case(users, CPR)
    assert second.citizen_id == first.citizen_id and second.pk != first.pk
    assert list(second.bar_events.values_list("kind", "date")) == [
        ("prison_release", today - dt.timedelta(days=30))
    ]
    assert "1 hændelse med udelukkelse er overført" in second.events.get(kind="created").summary

    codes = gate.offer_check(case=second, vacancy=vacancy, day=today).findings.codes
    assert "declined_before" in codes
    with pytest.raises(ValidationError):
        flow.offer_create(actor=worker, vacancy=vacancy, case=second, today=today)
    assert not Offer.objects.filter(case=second).exists()


def test_an_offer_in_an_earlier_case_counts_as_the_citizens_active_offer(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    """Data from before the status page left offers to the flow: a closed case that still
    holds a pending offer. The citizen's new case is judged as having that offer."""
    worker = users["sagsbehandler"]
    first = make_case(users, CPR)
    flow.offer_create(actor=worker, vacancy=_open(users, cheap, today), case=first, today=today)
    Case.objects.filter(pk=first.pk).update(status="closed", closed_on=today)
    second = make_case(users, CPR)
    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)
    result = gate.offer_check(case=second, vacancy=_open(users, other, today), day=today)
    assert "active_offer" in result.findings.codes


def test_a_citizen_still_housed_through_the_agreement_needs_the_leads_reason(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    """A citizen whose tenancy through the agreement is not recorded as ended is housed: a new
    case of theirs (a re-entry after the first was closed) is judged with the rule ``housed`` on
    every path, the offer dialogue's check, the ranking pool and the offer itself; only the
    allocation lead may go on, with a reason. Once the move-out is recorded, the rule is gone."""
    worker, lead = users["sagsbehandler"], users["anvisningsleder"]
    first, _vacancy, offer = _offered(users, cheap, today)
    lease = _leased(users, offer, today, today)
    case_services.case_transition(actor=worker, case=first, status="closed", by_hand=True)
    second = make_case(users, CPR)
    assert second.citizen_id == first.citizen_id

    other = _open(users, Dwelling.objects.get(entrance__street="Betavej 2", rent=3100), today)
    result = gate.offer_check(case=second, vacancy=other, day=today)
    assert "housed" in result.findings.codes
    assert any(
        "har allerede et lejemål gennem aftalen" in row["text"]
        and today.strftime("%d.%m.%Y") in row["text"]
        for row in result.rows()
    )
    (pooled,) = [c for c in load_citizens(today=today).citizens if c.id == second.number]
    assert pooled.housed_since == today
    with pytest.raises(ValidationError):
        flow.offer_create(actor=worker, vacancy=other, case=second, today=today)
    with pytest.raises(ValidationError):
        flow.offer_create(actor=lead, vacancy=other, case=second, today=today)
    assert not Offer.objects.filter(case=second).exists()

    tenancy_services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=lease,
        data=tenancy_services.EventInput(
            kind="move_out", event_date=today, move_out_reason="eviction"
        ),
        today=today,
    )
    assert "housed" not in gate.offer_check(case=second, vacancy=other, day=today).findings.codes
    (pooled,) = [c for c in load_citizens(today=today).citizens if c.id == second.number]
    assert pooled.housed_since is None
    made = flow.offer_create(actor=worker, vacancy=other, case=second, today=today)
    assert made.case_id == second.pk


def test_the_lead_may_place_a_housed_citizen_with_a_reason(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    first, _vacancy, offer = _offered(users, cheap, today)
    _leased(users, offer, today, today)
    case_services.case_transition(
        actor=users["sagsbehandler"], case=first, status="closed", by_hand=True
    )
    second = make_case(users, CPR)
    other = _open(users, Dwelling.objects.get(entrance__street="Betavej 2", rent=3100), today)
    made = flow.offer_create(
        actor=users["anvisningsleder"],
        vacancy=other,
        case=second,
        override_reason="Lejemålet er opsagt; genhusning før fraflytningen",
        today=today,
    )
    assert "housed" in {f["code"] for f in made.findings}


def test_an_offered_vacancy_is_not_let_through_the_organisations_own_list(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    _case, vacancy, offer = _offered(users, cheap, today)
    with pytest.raises(ValidationError) as info:
        flow.vacancy_let_ordinary(
            actor=users["boligorganisation"], vacancy=vacancy, starts_on=today, today=today
        )
    assert info.value.code == "not_ordinary"
    vacancy.refresh_from_db()
    offer.refresh_from_db()
    assert (vacancy.status, offer.status) == ("offered", "pending")


def test_the_organisations_own_letting_starts_after_the_notice_and_within_a_year(
    users: dict[str, Any], agreement: Any, today: dt.date
) -> None:
    """A let date decades ahead kept the dwelling from being reported vacant for decades."""
    dear = Dwelling.objects.get(entrance__street="Alfavej 1", rent=5600)
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dear,
        notice_date=today - dt.timedelta(days=10),
        available_from=today,
        report_date=today,
    )
    assert vacancy.status == "ordinary"
    for starts, text in (
        (dt.date(2099, 12, 31), "mere end et år fremme"),
        (today - dt.timedelta(days=11), "før lejerens opsigelse"),
    ):
        with pytest.raises(ValidationError) as info:
            flow.vacancy_let_ordinary(
                actor=users["boligorganisation"], vacancy=vacancy, starts_on=starts, today=today
            )
        assert text in info.value.message_dict["starts_on"][0]
    vacancy.refresh_from_db()
    assert vacancy.status == "ordinary"
    flow.vacancy_let_ordinary(
        actor=users["boligorganisation"], vacancy=vacancy, starts_on=today, today=today
    )


def test_a_leased_offer_stops_counting_against_the_caps_on_the_move_in_day(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    _case, _vacancy, offer = _offered(users, cheap, today)
    department = cheap.entrance.department_id
    assert active_offer_counts(today)[0] == {department: 1}
    move_in = today + dt.timedelta(days=10)
    _leased(users, offer, today, move_in)
    offer.refresh_from_db()
    assert offer.status == "accepted"
    # Before the move-in the placement is not in the register's window yet: the offer counts.
    assert active_offer_counts(today)[0] == {department: 1}
    # From the move-in day the placement counts, and the offer no more (nor a year later).
    assert active_offer_counts(move_in)[0] == {}
    assert active_offer_counts(move_in + dt.timedelta(days=400))[0] == {}


def test_an_offer_that_cannot_expire_does_not_stop_the_others(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, monkeypatch: Any, today: dt.date
) -> None:
    worker = users["sagsbehandler"]
    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)
    offers = [
        flow.offer_create(
            actor=worker,
            vacancy=_open(users, dwelling, today),
            case=make_case(users, cpr, name),
            today=today,
        )
        for dwelling, cpr, name in ((cheap, CPR, "Karl"), (other, "010190-1234", "Lise"))
    ]
    from anvis.vacancies.services import vacancy as vacancy_services

    real = vacancy_services._offer_close

    def fails_for_the_first(**kwargs: Any) -> bool:
        if kwargs["offer"].pk == offers[0].pk:
            raise ValidationError("kan ikke")
        return real(**kwargs)

    monkeypatch.setattr(vacancy_services, "_offer_close", fails_for_the_first)
    result = flow.vacancies_expire(today=today + dt.timedelta(days=60))
    assert result.failed == [offers[0].pk] and result.offers == [offers[1].pk]
    assert [Offer.objects.get(pk=o.pk).status for o in offers] == ["pending", "expired"]


def test_a_lease_is_signed_between_the_offer_and_today_and_starts_after_the_offer(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    _case, vacancy, offer = _offered(users, cheap, today)
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=today)
    org = users["boligorganisation"]
    later, earlier = today + dt.timedelta(days=5), today - dt.timedelta(days=5)
    for signed, starts, field, text in (
        (later, later, "signed_on", "senere end i dag"),
        (earlier, today, "signed_on", "før tilbuddet blev givet"),
        (today, earlier, "starts_on", "før tilbuddet blev givet"),
    ):
        with pytest.raises(ValidationError) as info:
            flow.lease_register(
                actor=org, offer=offer, signed_on=signed, starts_on=starts, move_in_on=later
            )
        assert text in " ".join(info.value.message_dict[field])
    vacancy.refresh_from_db()
    assert vacancy.status == "offered" and vacancy.lease is None
    # A start years ahead would bill the municipality years of void rent.
    far = today + dt.timedelta(days=5 * 365)
    with pytest.raises(ValidationError) as info:
        flow.lease_register(actor=org, offer=offer, signed_on=today, starts_on=far, move_in_on=far)
    assert set(info.value.message_dict) == {"starts_on", "move_in_on"}
    assert "mere end et år fremme" in info.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as info:
        flow.lease_register(
            actor=org,
            offer=offer,
            signed_on=today,
            starts_on=later,
            move_in_on=today + dt.timedelta(days=400),
        )
    assert "mere end et år fremme" in " ".join(info.value.message_dict["move_in_on"])
    lease = flow.lease_register(
        actor=org, offer=offer, signed_on=today, starts_on=later, move_in_on=later
    ).lease
    assert lease.void_rent_days == 5
    # Registering it again says so (not that the case is no longer offered).
    with pytest.raises(ValidationError) as info:
        flow.lease_register(
            actor=org, offer=offer, signed_on=today, starts_on=later, move_in_on=later
        )
    assert info.value.messages == ["Lejemålet for dette tilbud er allerede registreret."]


def test_a_viewing_is_not_before_the_offer(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    case = make_case(users, CPR)
    vacancy = _open(users, cheap, today)
    yesterday = timezone.make_aware(dt.datetime.combine(today, dt.time(10)) - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as info:
        flow.offer_create(
            actor=users["sagsbehandler"],
            vacancy=vacancy,
            case=case,
            viewing_at=yesterday,
            today=today,
        )
    assert (
        "Fremvisningen kan ikke ligge før tilbuddet gives"
        in info.value.message_dict["viewing_at"][0]
    )
    assert not Offer.objects.exists()
    offer = flow.offer_create(
        actor=users["sagsbehandler"],
        vacancy=vacancy,
        case=case,
        viewing_at=yesterday + dt.timedelta(days=2),
        today=today,
    )
    assert offer.viewing_at is not None


def test_with_no_agreement_in_force_the_offer_needs_the_leads_reason(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    """Outside the agreement's period the caps and the ceiling are built-in defaults, not terms
    the parties agreed to: the gate says so, and only the allocation lead may go on, with a
    written reason (the municipality's statutory right to assign remains)."""
    case = make_case(users, CPR)
    vacancy = _open(users, cheap, today)
    assert (
        "no_agreement" not in gate.offer_check(case=case, vacancy=vacancy, day=today).findings.codes
    )
    type(agreement).objects.filter(pk=agreement.pk).update(period_end=today - dt.timedelta(days=1))
    result = gate.offer_check(case=case, vacancy=vacancy, day=today)
    assert "no_agreement" in result.findings.codes
    assert any("Ingen udlejningsaftale er i kraft" in row["text"] for row in result.rows())
    with pytest.raises(ValidationError):
        flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=today)
    offer = flow.offer_create(
        actor=users["anvisningsleder"],
        vacancy=vacancy,
        case=case,
        override_reason="Aftalen genforhandles; anvisning efter § 59, stk. 1",
        today=today,
    )
    assert offer.override_reason and "no_agreement" in {f["code"] for f in offer.findings}


def test_overcrowding_is_a_ground_only_when_the_household_is_too_large(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    """The organisation's ground is checked against the gate's own persons-per-room rule."""
    small = make_case(users, CPR)
    large = make_case(users, "010190-1234", "Lise")
    Case.objects.filter(pk=large.pk).update(adults=3)  # three persons, one room
    first = flow.offer_create(
        actor=users["sagsbehandler"], vacancy=_open(users, cheap, today), case=small, today=today
    )
    with pytest.raises(ValidationError) as info:
        flow.offer_reject(
            actor=users["boligorganisation"], offer=first, ground="overcrowding", today=today
        )
    assert "så denne grund gælder ikke" in info.value.message_dict["ground"][0]
    flow.offer_withdraw(actor=users["sagsbehandler"], offer=first, today=today)
    second = flow.offer_create(
        actor=users["anvisningsleder"],
        vacancy=Offer.objects.get(pk=first.pk).vacancy,
        case=large,
        override_reason="Midlertidigt, indtil en større bolig er ledig",
        soft_confirmed=True,
        today=today,
    )
    with pytest.raises(ValidationError) as info:
        flow.offer_reject(
            actor=users["boligorganisation"], offer=second, ground="overcrowding", today=today
        )
    assert list(info.value.message_dict) == ["note"]  # the documentation, on every path
    flow.offer_reject(
        actor=users["boligorganisation"],
        offer=second,
        ground="overcrowding",
        note="Tre personer i ét værelse",
        today=today,
    )
    assert Offer.objects.get(pk=second.pk).rejection_ground == "overcrowding"


def test_void_rent_now_keeps_a_let_dwelling_until_its_lease_starts(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    from anvis.vacancies import selectors

    _case, vacancy, offer = _offered(users, cheap, today)
    starts = today + dt.timedelta(days=8)
    _leased(users, offer, today, starts)
    later = today + dt.timedelta(days=3)
    now = selectors.void_rent_now(user=users["anvisningsleder"], day=later)
    (row,) = now.rows
    assert row.vacancy.pk == vacancy.pk and row.account.running
    assert row.account.rent.days == vacancy.void_rent_on(later).rent.days
    assert selectors.void_rent_now(user=users["anvisningsleder"], day=starts).rows == []


def test_an_accepted_vacancy_keeps_the_ceiling_it_was_accepted_under(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    """The vacancy was accepted as the municipality's under the ceiling then in force (its
    deadlines, void rent and guarantees follow that version); a lower ceiling from the next day
    does not make every offer of it an override. A vacancy judged under the new version is."""
    from anvis.agreements.services import agreement_version_create

    vacancy = _open(users, cheap, today)  # 3,100 kr under the fixture's ceiling
    case = make_case(users, CPR)
    tomorrow = today + dt.timedelta(days=1)
    agreement_version_create(
        actor=users["anvisningsleder"],
        agreement=agreement,
        valid_from=tomorrow,
        rent_ceiling=3000,
        rent_target=2500,
    )
    codes = gate.offer_check(case=case, vacancy=vacancy, day=tomorrow).findings.codes
    assert "rent_over_ceiling" not in codes
    split = gate.vacancy_candidates(vacancy=vacancy, day=tomorrow).split()
    # Without a known maximum rent the citizen is judged by the vacancy's own ceiling too.
    assert case.number in split.eligible

    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)
    later = flow.vacancy_report(
        actor=users["org_b"],
        dwelling=other,
        notice_date=tomorrow,
        available_from=tomorrow,
        report_date=tomorrow,
    )
    assert later.turn_record.version.rent_ceiling == 3000
    assert "rent_over_ceiling" in gate.vacancy_blocks(vacancy=later, day=tomorrow).findings.codes
    assert (
        "rent_over_ceiling" not in gate.vacancy_blocks(vacancy=vacancy, day=tomorrow).findings.codes
    )


def test_void_rent_now_leaves_out_a_lease_from_the_first_void_rent_day(
    users: dict[str, Any], agreement: Any, cheap: Dwelling, today: dt.date
) -> None:
    """Available in six days, taken today and let from that day: no void rent will ever run,
    so the dwelling is not on "Tomgangsleje lige nu" with 0 days."""
    from anvis.vacancies import selectors

    available = today + dt.timedelta(days=6)
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=today,
        available_from=available,
        report_date=today,
    )
    vacancy = flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=today)
    assert vacancy.void_rent_start == available
    offer = flow.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=make_case(users, CPR), today=today
    )
    _leased(users, offer, today, available)
    assert selectors.void_rent_now(user=users["anvisningsleder"], day=today).rows == []
