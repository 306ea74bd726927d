"""Demo tenancies with a believable course, written through the real services: 40 fictional
citizens with a case, § 110 stays and a support plan, housed through the agreement (vacancy,
offer, lease) over the last 27 months, then the tenancy's events and the municipality's
follow-up.

The story: most tenancies run without trouble; about a quarter have rent arrears that are
resolved after the caseworker's contact; three go from arrears through a formal demand and a
cancellation to eviction, and two of those citizens come back as a new case; three move on to
another dwelling; a few recent warnings are still open on the list of homes at risk; a few
tenancies have support that started late or not at all. With these the Kaplan–Meier retention
after a year lands in the 80–90 % that Danish Housing First evaluations report for tenants
with intensive support (docs/demo-data.md gives the sources). The same set at national scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from anvis.cases import services as cases
from anvis.demo.cases import fictional_cpr
from anvis.demo.context import DemoContext, weighted
from anvis.stock.models import Dwelling
from anvis.tenancy import services
from anvis.tenancy.models import Source, TaskStatus, Tenancy
from anvis.vacancies import services as flow
from anvis.vacancies.adapters import active_offer_counts
from anvis.vacancies.models import Vacancy
from anvis_core.composition import add_months

TENANCIES = 40
MONTHS_BACK = 27
EVICTIONS = 3
TRANSFERS = 3
ARREARS_RESOLVED = 0.25
OPEN_WARNINGS = (2, 4, 7)  # recent tenancies (the lowest indices moved in last)
METHODS = [("cti", 0.35), ("icm", 0.2), ("act", 0.1), ("s85", 0.15), ("s85a", 0.1), ("", 0.1)]
FIRST = ["Mads", "Lene", "Ahmad", "Birgit", "Kasper", "Fatima", "Jonas", "Mette", "Ole", "Sofie"]
LAST = ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"]
PROVIDERS = ["Bostøtteteamet Øst", "CTI-teamet", "ACT-teamet", "Kirkens Korshær bostøtte"]


def _event(actor: Any, lease: Any, kind: str, day: dt.date, **values: Any) -> Any:
    return services.tenancy_event_report(
        actor=actor,
        lease=lease,
        data=services.EventInput(kind=kind, event_date=day, **values),
        source=Source.DEMO,
        today=day,
    )


def _contact(worker: Any, event: Any, day: dt.date, note: str) -> None:
    task = getattr(event, "task", None)
    if task is not None and task.status == TaskStatus.OPEN:
        services.task_contact_record(actor=worker, task=task, contact_on=day, note=note, today=day)


def _free_dwelling(rng: random.Random, organisation: Any, day: dt.date) -> Dwelling:
    """A family dwelling of the organisation with no open vacancy, in a department that is not
    closed (red) and whose stairwell and department are under the agreement's caps on `day`
    (placements in the 12 months up to that day and active offers, counted as the gate counts
    them)."""
    from anvis.monitoring.placements import placement_counts
    from anvis.monitoring.selectors import department_status_map
    from anvis.reports.selectors import agreement_for

    agreement = agreement_for(day)
    version = agreement.version_for(day) if agreement else None
    cap_entrance = (version.cap_per_entrance_12m if version else None) or 10**6
    cap_department = (version.cap_per_department_12m if version else None) or 10**6
    # Only the organisation's departments are looked up (the national stock has 7,000).
    departments = list(organisation.departments.order_by("pk").values_list("pk", flat=True))
    placed_departments, placed_entrances = placement_counts(day, 12, departments)
    offer_departments, offer_entrances = active_offer_counts(day)
    busy = set(
        Vacancy.objects.filter(organisation=organisation).values_list("dwelling_id", flat=True)
    )
    closed = {  # red departments are closed to municipal placements on that day
        pk for pk, info in department_status_map(day, departments).items() if info.closed
    }
    candidates = [
        pk
        for pk, entrance, department in Dwelling.objects.filter(
            entrance__department__organisation=organisation,
            dwelling_type="family",
            rent__lte=5000,
        )
        .order_by("pk")
        .values_list("pk", "entrance_id", "entrance__department_id")
        if pk not in busy
        and department not in closed
        and placed_entrances.get(entrance, 0) + offer_entrances.get(entrance, 0) < cap_entrance
        and placed_departments.get(department, 0) + offer_departments.get(department, 0)
        < cap_department
    ]
    return Dwelling.objects.get(pk=rng.choice(candidates))


def _house(ctx: DemoContext, rng: random.Random, index: int, users: dict[str, Any]) -> Any:
    """One citizen from shelter to a signed lease; returns (lease, organisation user, cpr)."""
    lead, worker, admin = users["anvisningsleder"], users["sagsbehandler"], users["admin"]
    org_user = [users["boligorg"], users["boligorg2"]][index % 2]
    today = ctx.today
    move_in = add_months(today, -(MONTHS_BACK * (index + 1)) // TENANCIES) - dt.timedelta(
        days=rng.randrange(0, 20)
    )
    report_day = move_in - dt.timedelta(days=25)
    opened = report_day - dt.timedelta(days=rng.randint(40, 200))
    age = rng.choice([19, 23, 27, 31, 36, 42, 48, 53, 58, 64])
    birth = opened - dt.timedelta(days=age * 365 + rng.randrange(300))
    cpr = fictional_cpr(rng, birth, ctx.data.setdefault("tenancy_cprs", set()))
    case = cases.case_create(
        actor=worker,
        cpr=cpr,
        first_name=rng.choice(FIRST),
        last_name=rng.choice(LAST),
        situation="shelter_110",
        situation_since=opened,
        waiting_since=opened,
        today=opened,
    )
    cases.shelter_stay_add(
        actor=worker,
        case=case,
        shelter="Herberget Nørregade",
        admitted_on=opened - dt.timedelta(days=rng.randint(0, 60)),
        discharged_on=move_in - dt.timedelta(days=rng.randint(0, 3)),
        action_plan=True,
        today=today,
    )
    method = weighted(rng, METHODS)
    if method:
        late = rng.random() < 0.12
        start = move_in + dt.timedelta(days=rng.randint(20, 45) if late else -rng.randint(0, 7))
        ended = method == "cti" and add_months(start, 9) <= today
        cases.support_plan_add(
            actor=worker,
            case=case,
            method=method,
            provider=rng.choice(PROVIDERS),
            decided_on=report_day,
            starts_on=start if start <= today else None,
            status="ended" if ended else ("active" if start <= today else "planned"),
            today=today,
        )
    organisation = org_user.organisations.order_by("pk").first()
    dwelling = _free_dwelling(rng, organisation, report_day)
    vacancy = flow.vacancy_report(
        actor=admin,
        dwelling=dwelling,
        notice_date=report_day - dt.timedelta(days=30),
        available_from=report_day,
        source="voluntary",
        report_date=report_day,
    )
    flow.vacancy_accept(actor=lead, vacancy=vacancy, today=report_day)
    # The caseworker has looked at the gate's soft findings (rent against the citizen's
    # maximum and the like) and confirms them; caps are kept by the choice of dwelling.
    offer = flow.offer_create(
        actor=worker, vacancy=vacancy, case=case, soft_confirmed=True, today=report_day
    )
    flow.offer_accept(actor=worker, offer=offer, today=report_day + dt.timedelta(days=3))
    lease = flow.lease_register(
        actor=lead,
        offer=offer,
        signed_on=move_in,
        starts_on=move_in,
        move_in_on=move_in,
        today=move_in,
    ).lease
    return lease, org_user, cpr, case


def load(ctx: DemoContext) -> None:
    users: dict[str, Any] = ctx.data.get("users", {})
    if not all(k in users for k in ("anvisningsleder", "sagsbehandler", "boligorg", "admin")):
        ctx.log("tenancy: skipped (needs the demo users)")
        return
    rng = ctx.rng_for("tenancy")
    worker = users["sagsbehandler"]
    counts: Counter[str] = Counter()
    # Housed oldest first, so that every offer is judged against the placements before it.
    housed = {index: _house(ctx, rng, index, users) for index in reversed(range(TENANCIES))}
    for index in range(TENANCIES):
        lease, org_user = housed[index][:2]
        # One point of entry: the organisation names its contact on every tenancy.
        services.tenancy_contacts_set(
            actor=org_user,
            tenancy=Tenancy.objects.get(lease=lease),
            organisation_contact=org_user,
            set_organisation=True,
        )
        _story(ctx.today, rng, index, worker, housed[index], counts)
        move_in = lease.move_in_on
        age = (ctx.today - move_in).days
        if index % 13 == 3 and age > 200 and not Tenancy.objects.get(lease=lease).ended_on:
            _event(
                worker,
                lease,
                "hospital",
                move_in + dt.timedelta(days=150),
                note="Indlagt på psykiatrisk afdeling i to uger",
            )
    # The cases above were opened (and the returns after an eviction reopened) on their own
    # past days, each storing its priority for that day: stored for the demo's day, as the
    # cases loader leaves its own, so the case list sorts and shows what the case page computes.
    cases.cases_recompute_priorities(today=ctx.today)
    ctx.log(
        f"tenancy: {TENANCIES} tenancies, {counts['arrears']} arrears resolved, "
        f"{counts['evicted']} evicted, {counts['transferred']} moved on, "
        f"{counts['open_warnings']} open warnings"
    )


def _story(
    today: dt.date,
    rng: random.Random,
    index: int,
    worker: Any,
    housed: tuple[Any, Any, str, Any],
    counts: Counter[str],
) -> None:
    """What happens in one tenancy after moving in: eviction, transfer, leaving without notice,
    an open warning, resolved arrears or nothing; counted in `counts`."""
    lease, org_user = housed[:2]
    move_in = lease.move_in_on
    age = (today - move_in).days
    roll = rng.random()
    if index % 9 == 5 and counts["evicted"] < EVICTIONS and age > 300:
        counts["evicted"] += 1
        _eviction(rng, worker, housed, back_to_homelessness=counts["evicted"] <= 2)
    elif index % 11 == 8 and counts["transferred"] < TRANSFERS and age > 330:
        counts["transferred"] += 1
        _event(
            org_user,
            lease,
            "move_out",
            move_in + dt.timedelta(days=250 + rng.randrange(0, 60)),
            move_out_reason="transfer",
        )
    elif index % 17 == 10 and age > 200:
        # Left without notice: the organisation does not know why (counted as lost).
        _event(
            org_user,
            lease,
            "move_out",
            move_in + dt.timedelta(days=100 + rng.randrange(0, 60)),
            move_out_reason="unknown",
        )
    elif index in OPEN_WARNINGS:
        # Recent warnings still open: on the list of homes at risk.
        counts["open_warnings"] += 1
        kind = "demand" if index % 2 else "arrears"
        values = {"amount": 4600, "months": 1} if kind == "arrears" else {}
        _event(org_user, lease, kind, today - dt.timedelta(days=index % 4), **values)
    elif roll < ARREARS_RESOLVED and age > 120:
        counts["arrears"] += 1
        d0 = move_in + dt.timedelta(days=30 + rng.randrange(0, min(age - 90, 400)))
        e = _event(org_user, lease, "arrears", d0, amount=3200 + 800 * (index % 5), months=1)
        _contact(worker, e, d0 + dt.timedelta(days=2), "Afdragsordning aftalt")
        _event(org_user, lease, "resolved", d0 + dt.timedelta(days=20))


def _eviction(
    rng: random.Random,
    worker: Any,
    housed: tuple[Any, Any, str, Any],
    *,
    back_to_homelessness: bool,
) -> None:
    """Arrears, demand, cancellation and eviction, each followed up by the caseworker."""
    lease, org_user, cpr, case = housed
    move_in = lease.move_in_on
    d0 = move_in + dt.timedelta(days=60 + rng.randrange(0, 80))
    e = _event(org_user, lease, "arrears", d0, amount=9800, months=2)
    _contact(worker, e, d0 + dt.timedelta(days=1), "Lejer svarer ikke på opkald")
    e = _event(org_user, lease, "demand", d0 + dt.timedelta(days=30))
    _contact(worker, e, d0 + dt.timedelta(days=32), "Hjemmebesøg, ingen kontakt")
    e = _event(org_user, lease, "cancellation", d0 + dt.timedelta(days=45))
    _contact(worker, e, d0 + dt.timedelta(days=46), "Kontakt til bostøtten")
    e = _event(
        org_user,
        lease,
        "eviction",
        d0 + dt.timedelta(days=70),
        eviction_date=d0 + dt.timedelta(days=100),
    )
    _contact(worker, e, d0 + dt.timedelta(days=71), "Møde i fogedretten")
    out = d0 + dt.timedelta(days=100)
    _event(org_user, lease, "move_out", out, move_out_reason="eviction")
    if back_to_homelessness:
        # Back in homelessness: the case is closed and a new one is opened.
        for status in ("follow_up", "closed"):
            case = cases.case_transition(actor=worker, case=case, status=status, today=out)
        back = out + dt.timedelta(days=rng.randint(10, 60))
        cases.case_create(
            actor=worker,
            cpr=cpr,
            first_name=case.citizen.first_name,
            last_name=case.citizen.last_name,
            situation="shelter_110",
            situation_since=back,
            waiting_since=back,
            today=back,
        )
