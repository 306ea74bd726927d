from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from anvis.cases import services as case_services
from anvis.cases.selectors import case_priority_total
from anvis.monitoring.models import DepartmentStatus, MunicipalPlacement
from anvis.stock.models import Dwelling, DwellingType
from anvis.vacancies import adapters
from anvis.vacancies import services as flow
from anvis_core.cases.bars import AreaKind

from .conftest import make_agreement, make_case, open_vacancy

pytestmark = pytest.mark.django_db


def test_citizen_fields(users: dict[str, Any], org_a: Any, today: dt.date) -> None:
    case = make_case(
        users,
        "010105-4321",  # born 2005: young
        adults=2,
        pets="1 hund",
        needs_elevator=True,
        needs_ground_floor=True,
        districts_wanted="Vestbyen, Aalborg Øst",
        max_rent_override=4100,
        max_rent_override_reason="Aftalt med borgeren",
    )
    case_services.case_set_children(
        actor=users["sagsbehandler"], case=case, birth_dates=[today - dt.timedelta(days=800)]
    )
    department = org_a.departments.get()
    case_services.avoid_area_add(
        actor=users["sagsbehandler"], case=case, reason="Netværk", district="Nørresundby"
    )
    case_services.avoid_area_add(
        actor=users["sagsbehandler"], case=case, reason="Konflikt", department=department
    )
    case_services.legal_bar_add(
        actor=users["sagsbehandler"], case=case, kind="prison_release", date=today
    )
    pool = adapters.load_citizens(today=today)
    (c,) = pool.citizens
    case.refresh_from_db()
    assert c.id == case.number
    assert pool.case_ids == {case.number: case.pk}
    assert c.priority == case_priority_total(case=case, today=today)
    assert c.max_rent == 4100
    assert (c.household_persons, c.min_rooms) == (3, 2)
    assert c.needs == {"elevator", "ground_floor"}
    assert c.pets is True
    assert c.excluded_districts == {"Nørresundby"}
    assert c.excluded_departments == {str(department.pk)}
    assert c.wished_districts == {"Vestbyen", "Aalborg Øst"}
    assert c.age_band == "young"
    # Released today: barred for six months; the bar ends on the day after the last barred day.
    assert c.barred_until is not None and c.barred_until > today + dt.timedelta(days=150)
    assert pool.unknown_max_rent == set()


def test_max_rent_from_income_or_unknown(users: dict[str, Any], today: dt.date) -> None:
    poor = make_case(users, "120385-1235", income=4000, benefit=0)
    unknown = make_case(users, "010190-1234", "Lise", income=None, benefit=None)
    pool = adapters.load_citizens(today=today)
    by_id = {c.id: c for c in pool.citizens}
    assert by_id[poor.number].max_rent == 1400  # 35 % of 4000 kr
    # Unknown stays unknown: each dwelling's own ceiling applies (eligibility.max_rent_for).
    assert by_id[unknown.number].max_rent is None
    assert pool.unknown_max_rent == {unknown.number}
    assert by_id[poor.number].age_band == "older"
    assert by_id[poor.number].barred_until is None


def test_parked_and_offered_cases_are_not_waiting(
    users: dict[str, Any], vacancy: Any, today: dt.date
) -> None:
    parked = make_case(users, "120385-1235")
    offered = make_case(users, "010190-1234", "Lise")
    waiting = make_case(users, "311288-1235", "Ole")
    case_services.case_park(
        actor=users["sagsbehandler"],
        case=parked,
        until=today + dt.timedelta(days=3),
        reason="Indlagt",
    )
    flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=offered, today=today)
    pool = adapters.load_citizens(today=today)
    assert [c.id for c in pool.citizens] == [waiting.number]


def test_bar_kind_prevention_ignores_benefits_only_listed_for_vulnerable(
    users: dict[str, Any], today: dt.date
) -> None:
    case = make_case(users, "120385-1235")
    case_services.legal_bar_add(
        actor=users["sagsbehandler"],
        case=case,
        kind="benefits",
        benefit="cash_benefit",
        date=today - dt.timedelta(days=400),
    )
    vulnerable = adapters.load_citizens(today=today, bar_kinds=(AreaKind.VULNERABLE,))
    prevention = adapters.load_citizens(today=today, bar_kinds=(AreaKind.PREVENTION,))
    assert vulnerable.citizens[0].barred_until == adapters.OPEN_ENDED  # benefit still paid
    assert prevention.citizens[0].barred_until is None


def test_dwelling_fields(users: dict[str, Any], agreement: Any, org_a: Any, today: dt.date) -> None:
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=5600)
    dwelling.rent = 4400
    dwelling.pets_allowed = True
    dwelling.wheelchair = True
    dwelling.save()
    vacancy = open_vacancy(users, dwelling, today, rent_at_letting=4500)
    setting = adapters.load_setting(today=today, vacancies=[vacancy])
    (d,) = setting.dwellings
    entrance = dwelling.entrance
    assert d.id == str(vacancy.pk)
    assert (d.rent, d.rooms, d.floor) == (4500, 3, 1)
    assert d.features == {"step_free", "elevator", "wheelchair"}
    assert d.pets_allowed is True
    assert d.district == "Aalborg Øst"
    assert d.department_id == str(entrance.department_id)
    assert d.entrance_id == str(entrance.pk)
    assert d.organisation_id == str(org_a.pk)
    assert d.designated_area is False
    assert d.age_group is None
    assert d.available_since == vacancy.void_rent_start
    assert d.daily_rent == pytest.approx(4500 * 12 / 365, abs=0.01)
    assert setting.context.policy.rent_ceiling == 5000
    assert setting.context.caps.entrance == {}


def test_ground_floor_youth_dwelling(
    users: dict[str, Any], agreement: Any, cheap: Any, today: dt.date
) -> None:
    cheap.dwelling_type = DwellingType.YOUTH
    cheap.save()
    vacancy = open_vacancy(users, cheap, today)
    (d,) = adapters.load_setting(today=today, vacancies=[vacancy]).dwellings
    assert d.floor == 0
    assert "ground_floor" in d.features
    assert d.age_group == "young"


@pytest.mark.parametrize(
    ("label", "floor"),
    # A floor written "²" (str.isdigit() takes it, int() does not) stopped the matching.
    [("st", 0), ("kl", 0), ("3", 3), ("2.", 2), ("²", 0)],
)
def test_parse_floor(label: str, floor: int) -> None:
    assert adapters.parse_floor(label) == floor


def test_caps_count_placements_and_active_offers(
    users: dict[str, Any], org_a: Any, org_b: Any, cheap: Any, today: dt.date
) -> None:
    make_agreement(users, [org_a, org_b], cap_per_entrance_12m=2, cap_per_department_12m=5)
    entrance = cheap.entrance
    MunicipalPlacement.objects.create(
        dwelling=cheap,
        entrance=entrance,
        department=entrance.department,
        placed_on=today - dt.timedelta(days=30),
        case_ref="S-1",
    )
    MunicipalPlacement.objects.create(  # outside the 12-month window
        dwelling=cheap,
        entrance=entrance,
        department=entrance.department,
        placed_on=today - dt.timedelta(days=400),
        case_ref="S-2",
    )
    other = Dwelling.objects.get(entrance__department__organisation=org_b, rent=3100)
    offered = open_vacancy(users, other, today)
    flow.offer_create(
        actor=users["sagsbehandler"], vacancy=offered, case=make_case(users, "120385-1235")
    )
    vacancy = open_vacancy(users, cheap, today)
    ctx = adapters.load_setting(today=today, vacancies=[vacancy]).context
    e, p = str(entrance.pk), str(entrance.department_id)
    assert (ctx.caps.entrance[e].max, ctx.caps.entrance[e].placed) == (2, 1)
    assert (ctx.caps.department[p].max, ctx.caps.department[p].placed) == (5, 1)


def test_red_department_is_closed_and_designation_marks_area(
    users: dict[str, Any], vacancy: Any, org_a: Any, org_b: Any, today: dt.date
) -> None:
    for org, status, kinds in ((org_a, "red", ["udsat"]), (org_b, "green", [])):
        DepartmentStatus.objects.create(
            department=org.departments.get(),
            as_of=today,
            status=status,
            designations=kinds,
            proposal_level="",
            proposed_share=Decimal("25"),
        )
    setting = adapters.load_setting(today=today, vacancies=[vacancy])
    dept = str(vacancy.dwelling.entrance.department_id)
    assert setting.context.closed_departments == {dept}
    assert setting.dwellings[0].designated_area is True
    assert adapters.area_kind(["udsat"]) is AreaKind.VULNERABLE
    assert adapters.area_kind(["forebyggelse"]) is AreaKind.PREVENTION
    assert adapters.area_kind([]) is None


def test_pool_is_reused_until_anything_it_is_made_of_changes(
    users: dict[str, Any], org_a: Any, today: dt.date
) -> None:
    worker = users["sagsbehandler"]
    case = make_case(users, "010190-1234", adults=1)
    first = adapters.load_citizens(today=today)
    assert adapters.load_citizens(today=today) is first  # a hit
    # One pool for every ceiling: an unknown maximum rent is resolved per dwelling.
    assert adapters.load_citizens(today=today, bar_kinds=(AreaKind.VULNERABLE,)) is not first

    changes = [
        # (what changes, how the new pool shows it)
        (
            lambda: case_services.case_set_children(
                actor=worker, case=case, birth_dates=[today - dt.timedelta(days=400)]
            ),
            lambda c: c.household_persons == 2,
        ),
        (
            lambda: case_services.avoid_area_add(
                actor=worker, case=case, reason="Netværk", district="Vestbyen"
            ),
            lambda c: c.excluded_districts == {"Vestbyen"},
        ),
        (
            lambda: case_services.legal_bar_add(
                actor=worker, case=case, kind="prison_release", date=today
            ),
            lambda c: c.barred_until is not None,
        ),
        (
            # A field written without save() (no updated_at): the fingerprint still sees it.
            lambda: (
                type(case)
                .objects.filter(pk=case.pk)
                .update(max_rent_override=3333, max_rent_override_reason="Aftalt")
            ),
            lambda c: c.max_rent == 3333,
        ),
    ]
    before = first
    for change, shows in changes:
        change()
        after = adapters.load_citizens(today=today)
        assert after is not before
        assert shows(after.citizens[0])
        assert adapters.load_citizens(today=today) is after
        before = after
    assert adapters.load_citizens(today=today + dt.timedelta(days=1)) is not (before)


def test_a_change_to_one_case_converts_only_that_case(
    users: dict[str, Any], org_a: Any, today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anvis.vacancies import pool as citizen_pool

    first = make_case(users, "010190-1234", adults=1)
    make_case(users, "020290-2345", adults=1)
    make_case(users, "030390-3456", adults=1)
    adapters.load_citizens(today=today)
    converted: list[str] = []
    convert = citizen_pool._Converter.citizen

    def counting(self: Any, row: tuple[Any, ...], rel: Any) -> Any:
        converted.append(row[1])
        return convert(self, row, rel)

    monkeypatch.setattr(citizen_pool._Converter, "citizen", counting)
    type(first).objects.filter(pk=first.pk).update(pets="1 kat")
    pool = adapters.load_citizens(today=today)
    assert converted == [first.number]
    assert pool.citizens[[c.id for c in pool.citizens].index(first.number)].pets is True
