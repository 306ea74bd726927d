"""Demo vacancies in every state of the flow, written through the services (so the turn
engine, the ledger, the timelines and the audit trail are real): vacancies awaiting the
municipality's answer (the lead's inbox), one declined, one expired, accepted ones waiting for a
candidate, offers pending, declined with a coded reason and accepted, and leases with void rent.

The same small set at national scale: the flow is per dwelling, volume is not the point here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from anvis.cases.models import Case
from anvis.demo.context import DemoContext
from anvis.stock.models import Dwelling, HousingOrganisation
from anvis.vacancies import gate, services
from anvis.vacancies.choices import VacancyStatus
from anvis.vacancies.models import Offer, Vacancy
from anvis_core.calendar import add_working_days

PER_ORGANISATION = 12


def _dwellings(organisation: HousingOrganisation, ctx: DemoContext) -> list[Dwelling]:
    rng = ctx.rng_for("vacancies")
    # Open vacancies are excluded in Python: a NOT IN over the national stock is slow.
    open_ids = set(
        Vacancy.objects.filter(
            dwelling__entrance__department__organisation=organisation,
            status__in=["reported", "municipal", "ordinary", "accepted", "offered"],
        ).values_list("dwelling_id", flat=True)
    )
    candidates = [
        pk
        for pk in Dwelling.objects.filter(
            entrance__department__organisation=organisation,
            dwelling_type="family",
            rent__lte=5000,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:600]
        if pk not in open_ids
    ][:500]
    chosen = rng.sample(candidates, min(PER_ORGANISATION, len(candidates)))
    return list(Dwelling.objects.filter(pk__in=chosen).order_by("pk"))


def _offer_best(actor: Any, vacancy: Vacancy, day: dt.date) -> Offer | None:
    """Offer the vacancy to its best eligible candidate (the top of the ranked list)."""
    split = gate.vacancy_candidates(vacancy=vacancy, day=day).split()
    if not split.eligible:
        return None
    case = Case.objects.get(number=split.eligible[0])
    return services.offer_create(actor=actor, vacancy=vacancy, case=case, today=day)


def _offer_with_override(actor: Any, vacancy: Vacancy, day: dt.date) -> Offer | None:
    """Where nobody is eligible because of a cap or closure, the allocation lead overrides it
    once, with a written reason (recorded and counted in the steering group's report)."""
    split = gate.vacancy_candidates(vacancy=vacancy, day=day).split()
    if not split.agreement:
        return None
    case = Case.objects.get(number=split.agreement[0])
    return services.offer_create(
        actor=actor,
        vacancy=vacancy,
        case=case,
        today=day,
        soft_confirmed=True,
        override_reason=(
            "Borgeren har netværk i afdelingen og bostøtte tæt på; afdelingens bestyrelse "
            "er orienteret."
        ),
    )


def load(ctx: DemoContext) -> None:
    users: dict[str, Any] = ctx.data.get("users", {})
    if not users or not Case.objects.exists():
        ctx.log("vacancies: skipped (needs demo users and cases)")
        return
    lead, worker = users["anvisningsleder"], users["sagsbehandler"]
    today = ctx.today
    reported = _report(ctx, [users["boligorg"], users["boligorg2"]])
    municipal = [v for v in reported if v.status == VacancyStatus.MUNICIPAL]
    # The oldest unanswered ones expire; one is declined; the newest stay in the inbox.
    services.vacancies_expire(today=today)
    municipal = [
        Vacancy.objects.get(pk=v.pk)
        for v in municipal
        if Vacancy.objects.get(pk=v.pk).status == VacancyStatus.MUNICIPAL
    ]
    answerable = [
        v for v in municipal if v.response_deadline is None or v.response_deadline >= today
    ]
    if len(answerable) < 3:
        ctx.log("vacancies: too few municipal vacancies for the demo flow")
        return
    services.vacancy_decline(
        actor=lead, vacancy=answerable[0], note="Ingen egnet kandidat lige nu", today=today
    )
    # The lead accepts the vacancies some waiting citizen may get (the page says how many);
    # the newest and those nobody may get stay in the inbox.
    usable = [v for v in answerable[1:-1] if not gate.usability(vacancy=v, day=today).nobody]
    accepted = [services.vacancy_accept(actor=lead, vacancy=v, today=today) for v in usable]
    leases, overrides = _offers(accepted[:6], lead, worker, today)
    ctx.log(
        f"vacancies: {len(reported)} reported, {len(municipal)} municipal, "
        f"{len(accepted)} accepted, {leases} let, {overrides} offer with an override"
    )


def _report(ctx: DemoContext, org_users: list[Any]) -> list[Vacancy]:
    """Each organisation reports its dwellings, report days spread over the last two weeks;
    every third is offered voluntarily so that the demo has enough municipal vacancies whatever
    the turn counters say."""
    reported: list[Vacancy] = []
    for user in org_users:
        organisation = user.organisations.order_by("pk").first()
        if organisation is None:
            continue
        for index, dwelling in enumerate(_dwellings(organisation, ctx)):
            report_day = ctx.today - dt.timedelta(days=PER_ORGANISATION + 2 - index)
            reported.append(
                services.vacancy_report(
                    actor=user,
                    dwelling=dwelling,
                    notice_date=report_day - dt.timedelta(days=30),
                    available_from=report_day + dt.timedelta(days=10),
                    source="voluntary" if index % 3 == 0 else "report",
                    report_date=report_day,
                )
            )
    return reported


def _offers(accepted: list[Vacancy], lead: Any, worker: Any, today: dt.date) -> tuple[int, int]:
    """Offers on the accepted vacancies, some declined and offered again, some let; returns the
    leases and the offers made with an override."""
    leases = overrides = 0
    for index, vacancy in enumerate(accepted):
        # Each offer goes to the best candidate the gate lets through, as on the candidate page.
        offer = _offer_best(worker, vacancy, today)
        if offer is None and not overrides:
            offer = _offer_with_override(lead, vacancy, today)
            overrides += offer is not None
        if offer is None:
            continue
        if index % 3 == 0:
            # Declined with a coded reason, then offered to the next candidate.
            services.offer_decline(actor=worker, offer=offer, reason="client_location", today=today)
            offer = _offer_best(worker, vacancy, today)
            if offer is None:
                continue
        if index % 2 == 0:
            services.offer_accept(actor=worker, offer=offer, today=today)
            start = max(vacancy.available_from, add_working_days(today, 3)) + dt.timedelta(
                days=index
            )
            services.lease_register(
                actor=lead,
                offer=offer,
                signed_on=today,
                starts_on=start,
                move_in_on=start,
                today=today,
            )
            leases += 1
    return leases, overrides
