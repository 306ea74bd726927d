"""About 300 fictional citizens and their cases, mixed like the national VIVE counts.

Mix (domain notes § 2.3, VIVE 2022): a little over half in shelters (§ 110 shelters, night
shelters, women's shelters), about a fifth staying with friends or family, 9 % sleeping rough,
the rest released without an address or in short-term housing. Ages: about 13 % aged 18–24 and
about 8 % aged 60 or over. About 8 % have children living with them. Most cases wait; some are
closed; a few are parked; about 5 % of citizens have an earlier closed case (re-entry). None is
offered, housed or in follow-up here: a case becomes offered only by an offer and housed only by
a lease (docs/gate.md), which the vacancies and tenancy loaders make through the flow.

CPR numbers are fictional: a valid birth date and century digit with a serial number chosen so
that the modulus-11 check fails, so no number issued before 2007 can coincide with one.
All writes go through the services, so audit rows and timelines are real. The same 300 cases
are loaded at national scale (the case list is a municipal tool, not a national register).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from anvis.cases import services
from anvis.cases.models import Case
from anvis.demo.context import DemoContext, weighted
from anvis_core import law
from anvis_core.cases.support import cti_end

CITIZENS = 300

FIRST_NAMES = [
    "Anders",
    "Bent",
    "Camilla",
    "Dennis",
    "Eva",
    "Frank",
    "Gitte",
    "Henrik",
    "Ida",
    "Jesper",
    "Karina",
    "Lars",
    "Maja",
    "Niels",
    "Ole",
    "Pia",
    "Rasmus",
    "Susanne",
    "Tobias",
    "Ulla",
    "Vibeke",
    "William",
    "Yasmin",
    "Ahmed",
    "Birgit",
    "Christian",
    "Dorthe",
    "Emil",
    "Fatima",
    "Gustav",
    "Hanne",
    "Jonas",
    "Kim",
    "Line",
    "Mads",
    "Nadia",
    "Oliver",
    "Rikke",
    "Søren",
    "Tina",
]
LAST_NAMES = [
    "Andersen",
    "Bakgaard",
    "Christoffersen",
    "Dalsgaard",
    "Eskildsen",
    "Fogh",
    "Graversen",
    "Holmgaard",
    "Iversen",
    "Jeppesen",
    "Kjærsgaard",
    "Lykke",
    "Mortensen",
    "Nørgaard",
    "Overgaard",
    "Poulsen",
    "Quist",
    "Riis",
    "Skovbo",
    "Thygesen",
    "Ulriksen",
    "Vestergaard",
    "Winther",
    "Østergaard",
]
SITUATIONS = [
    ("shelter_110", 0.42),
    ("night_shelter", 0.04),
    ("womens_shelter", 0.06),
    ("friends_family", 0.20),
    ("rough_sleeping", 0.09),
    ("release_no_address", 0.05),
    ("temporary_housing", 0.14),
]
AGE_BANDS = [
    ((18, 24), 0.13),
    ((25, 29), 0.12),
    ((30, 39), 0.24),
    ((40, 49), 0.22),
    ((50, 59), 0.21),
    ((60, 75), 0.08),
]
SHELTERS = [
    "Forsorgshjemmet Nordlys",
    "Herberget Havnen",
    "Kirkens Korshær Herberg",
    "Hjemmet Fjordbakken",
]
PROVIDERS = ["CTI-teamet", "Bostøtten Øst", "ACT-teamet Nord", "Housing First-teamet"]
STREET_NAMES = ["Aalborg Øst", "Vejgaard", "Nørresundby", "Hasseris", "Aalborg Centrum", "Gug"]
MOD11_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def fictional_cpr(rng: random.Random, birth: dt.date, used: set[str]) -> str:
    """A fictional CPR number for the birth date: the century digit that gives its century
    (0–3 for the 1900s, 4 for 2000–2036), and a serial that fails the old modulus-11 check, so
    that it is no one's real number; not one in ``used`` (added to it)."""
    digit7 = rng.choice([0, 1, 2, 3]) if birth.year < 2000 else 4
    while True:
        serial = f"{digit7}{rng.randrange(1000):03d}"
        value = f"{birth:%d%m}{birth.year % 100:02d}{serial}"
        checksum = sum(int(d) * w for d, w in zip(value, MOD11_WEIGHTS, strict=True))
        if checksum % 11 != 0 and value not in used:
            used.add(value)
            return value


def load(ctx: DemoContext) -> None:
    rng = ctx.rng_for("cases")
    users = ctx.data.get("users", {})
    caseworker = users.get("sagsbehandler")
    lead = users.get("anvisningsleder") or caseworker
    today = ctx.today
    used: set[str] = set()
    created = 0
    for i in range(CITIZENS):
        low, high = weighted(rng, AGE_BANDS)
        age = rng.randint(low, high)
        birth = today - dt.timedelta(days=age * 365 + rng.randrange(365))
        cpr = fictional_cpr(rng, birth, used)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        actor = caseworker if i % 3 else lead
        common: dict[str, Any] = {
            "actor": actor,
            "cpr": cpr,
            "first_name": first,
            "last_name": last,
            "phone": f"{rng.randrange(20_000_000, 99_999_999)}",
            "preferred_contact": rng.choice(["phone", "sms", "via_staff", "email"]),
        }
        if rng.random() < 0.05:  # an earlier period of homelessness, closed 200 days later
            old_open = today - dt.timedelta(days=rng.randint(500, 900))
            old = services.case_create(
                **common,
                situation="shelter_110",
                situation_since=old_open,
                waiting_since=old_open,
                today=old_open,
            )
            # Closed (a home found outside the agreement): housed only by a lease, which the
            # tenancy loader's citizens get.
            services.case_transition(
                actor=actor, case=old, status="closed", today=old_open + dt.timedelta(days=200)
            )
        situation = weighted(rng, SITUATIONS)
        waited = min(int(rng.expovariate(1 / 110)), 700)
        opened = today - dt.timedelta(days=waited)
        since = opened - dt.timedelta(days=rng.randint(0, 60))
        release = {}
        if situation == "release_no_address":
            release = {
                "release_from": rng.choice(["prison", "hospital", "treatment"]),
                "release_date": opened + dt.timedelta(days=rng.randint(1, 30)),
            }
        case = services.case_create(
            **common,
            situation=situation,
            situation_since=since,
            adults=2 if rng.random() < 0.07 else 1,
            waiting_since=opened,
            today=opened,
            **release,
        )
        created += 1
        _fill(rng, case, actor, today, situation, age, opened)
    services.cases_recompute_priorities(today=today)
    ctx.data["cases"] = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    ctx.log(f"cases: {created} citizens with {Case.objects.count()} cases")


def _fill(
    rng: random.Random,
    case: Case,
    actor: Any,
    today: dt.date,
    situation: str,
    age: int,
    opened: dt.date,
) -> None:
    """The rest of a citizen's case, each part drawn in turn from the same random stream."""
    income_type = _profile(rng, case, actor, today, situation, age)
    _family_and_areas(rng, case, actor, today, age)
    _shelter_stays(rng, case, actor, today, situation, opened)
    _support(rng, case, actor, today, opened)
    _bars(rng, case, actor, today, income_type)
    _status(rng, case, actor, today)


def _profile(
    rng: random.Random, case: Case, actor: Any, today: dt.date, situation: str, age: int
) -> str:
    """Income, needs and wishes; returns the income type."""
    changes: dict[str, Any] = {
        "income_type": rng.choice(
            [
                "cash_benefit",
                "cash_benefit",
                "cash_benefit_minimum",
                "disability_pension",
                "sickness",
                "resource_programme",
            ]
            if age < 65
            else ["old_age_pension"]
        ),
        "income_amount": rng.randrange(8_000, 16_000, 100),
        "housing_benefit": rng.randrange(0, 2_000, 100),
        "deposit_loan_needed": rng.random() < 0.7,
        "needs_step_free": age >= 60 and rng.random() < 0.5,
        "needs_wheelchair": rng.random() < 0.02,
        "needs_ground_floor": rng.random() < 0.08,
        "districts_wanted": ", ".join(rng.sample(STREET_NAMES, rng.randint(0, 2))),
        "discharge_without_address": situation == "release_no_address" and rng.random() < 0.6,
    }
    if rng.random() < 0.05:
        changes["max_rent_override"] = changes["income_amount"] // 3
        changes["max_rent_override_reason"] = "Gæld under afvikling; lavere husleje aftalt"
    if rng.random() < 0.08:
        changes["pets"] = "1 hund"
    services.case_update(actor=actor, case=case, changes=changes, today=today)
    return str(changes["income_type"])


def _family_and_areas(rng: random.Random, case: Case, actor: Any, today: dt.date, age: int) -> None:
    if rng.random() < 0.08 and age >= 22:
        kids = [
            today - dt.timedelta(days=rng.randint(200, 15 * 365)) for _ in range(rng.randint(1, 3))
        ]
        services.case_set_children(actor=actor, case=case, birth_dates=kids, today=today)
    if rng.random() < 0.15:
        services.avoid_area_add(
            actor=actor,
            case=case,
            district=rng.choice(STREET_NAMES),
            reason="Væk fra tidligere netværk",
        )


def _shelter_stays(
    rng: random.Random, case: Case, actor: Any, today: dt.date, situation: str, opened: dt.date
) -> None:
    if situation in {"shelter_110", "night_shelter"} or rng.random() < 0.15:
        admitted = opened - dt.timedelta(days=rng.randint(0, 40))
        if situation == "shelter_110":
            if rng.random() < 0.3:  # an earlier stay in the same running year
                early = admitted - dt.timedelta(days=rng.randint(60, 120))
                services.shelter_stay_add(
                    actor=actor,
                    case=case,
                    shelter=rng.choice(SHELTERS),
                    admitted_on=early,
                    discharged_on=early + dt.timedelta(days=rng.randint(5, 40)),
                    action_plan=True,
                    today=today,
                )
                admitted = max(admitted, early + dt.timedelta(days=45))
            services.shelter_stay_add(
                actor=actor,
                case=case,
                shelter=rng.choice(SHELTERS),
                admitted_on=admitted,
                action_plan=rng.random() < 0.8,
                today=today,
            )
        elif admitted + dt.timedelta(days=10) < today:
            services.shelter_stay_add(
                actor=actor,
                case=case,
                shelter=rng.choice(SHELTERS),
                admitted_on=admitted,
                discharged_on=min(today, admitted + dt.timedelta(days=rng.randint(5, 60))),
                action_plan=True,
                today=today,
            )


def _support(rng: random.Random, case: Case, actor: Any, today: dt.date, opened: dt.date) -> None:
    if rng.random() < 0.3:
        method = rng.choice(["cti", "cti", "icm", "act", "s85", "s85a"])
        decided = min(today, opened + dt.timedelta(days=rng.randint(0, 60)))
        start = decided + dt.timedelta(days=rng.randint(0, 14))
        services.support_plan_add(
            actor=actor,
            case=case,
            method=method,
            provider=rng.choice(PROVIDERS),
            decided_on=decided,
            starts_on=start,
            ends_on=cti_end(start) if method == "cti" else None,
            status="active" if start <= today else "planned",
            today=today,
        )


def _bars(rng: random.Random, case: Case, actor: Any, today: dt.date, income_type: str) -> None:
    if rng.random() < 0.06:
        services.legal_bar_add(
            actor=actor,
            case=case,
            kind="prison_release",
            date=today - dt.timedelta(days=rng.randint(10, 170)),
        )
    if rng.random() < 0.1 and income_type in {"cash_benefit", "cash_benefit_minimum"}:
        start = today - dt.timedelta(days=rng.randint(60, 900))
        benefit = income_type
        if start < law.REFORM_2025 and benefit == "cash_benefit_minimum":
            # Before the reform of 1 July 2025 the minimum rate was selvforsørgelses- og
            # hjemrejseydelse; the period runs on as kontanthjælp (joined by the bar rules).
            services.legal_bar_add(
                actor=actor,
                case=case,
                kind="benefits",
                benefit="self_support",
                date=start,
                end=law.REFORM_2025 - dt.timedelta(days=1),
            )
            start = law.REFORM_2025
        services.legal_bar_add(actor=actor, case=case, kind="benefits", benefit=benefit, date=start)


def _status(rng: random.Random, case: Case, actor: Any, today: dt.date) -> None:
    if rng.random() < 0.2:
        services.case_add_note(
            actor=actor, case=case, text="Samtale om boligønsker og støttebehov."
        )
    roll = rng.random()
    if roll < 0.04:
        services.case_park(
            actor=actor,
            case=case,
            until=today + dt.timedelta(days=rng.randint(5, 60)),
            reason="Indlagt på hospital",
            today=today,
        )
    elif roll < 0.07:
        # Closed: the citizen found a home elsewhere. (A case is offered only by an offer,
        # which the vacancies loader makes.)
        case = services.case_transition(actor=actor, case=case, status="closed", today=today)
    elif roll < 0.15:
        # Ready for an offer: consent to share contact details with the organisation. (Offered
        # and housed only through an offer and a lease: the vacancies and tenancy loaders.)
        services.consent_record(actor=actor, case=case, given_on=today)
    elif roll < 0.17:
        case = services.case_transition(actor=actor, case=case, status="closed", today=today)
    if case.urgent is False and rng.random() < 0.04 and case.is_open:
        services.case_set_urgency(
            actor=actor,
            case=case,
            urgent=True,
            reason="Helbred forværres ved gadesøvn",
            today=today,
        )
