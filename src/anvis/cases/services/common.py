"""What every case service shares: numbering, the citizen, the timeline event and the stored priority."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anvis.audit.services import acting_user, audited
from anvis.common.fields import lookup_hash
from anvis_core.cases.numbers import case_number, year_prefix
from anvis_core.cases.situation import RELEASE_WINDOW_DAYS, ReleaseProblem, release_problem
from anvis_core.cpr import Cpr, CprError, check_born_by, parse_cpr

from .. import adapters
from ..models import (
    Case,
    CaseEvent,
    Citizen,
)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

#: Fields `case_update` may change (other fields have their own service).
CASE_EDITABLE_FIELDS = frozenset(
    {
        "adults",
        "pets",
        "extra_rooms",
        "needs_step_free",
        "needs_elevator",
        "needs_wheelchair",
        "needs_ground_floor",
        "districts_wanted",
        "income_type",
        "income_amount",
        "housing_benefit",
        "benefit_income",
        "max_rent_override",
        "max_rent_override_reason",
        "deposit_loan_needed",
        "discharge_without_address",
        "caseworker",
    }
)
CITIZEN_EDITABLE_FIELDS = frozenset(
    {"first_name", "last_name", "phone", "email", "preferred_contact"}
)


def cpr_parse_or_error(value: str, on: dt.date | None = None) -> Cpr:
    """Parse a CPR number or raise a ValidationError with a Danish message (never the number).
    With `on`, a number whose birth date is after that day is refused too
    (:func:`anvis_core.cpr.check_born_by`)."""
    try:
        parsed = parse_cpr(value)
        return parsed if on is None else check_born_by(parsed, on)
    except CprError as exc:
        if exc.code == "future":
            raise ValidationError(
                _(
                    "The CPR number's birth date is after today: check the first six digits "
                    "and the seventh (the century)."
                ),
                code="cpr_future",
            ) from None
        if exc.code == "date":
            raise ValidationError(
                _("The first six digits of a CPR number must be a valid date (DDMMYY)."),
                code="cpr_date",
            ) from None
        raise ValidationError(
            _("Enter the CPR number as DDMMYY-XXXX (10 digits)."), code="cpr_format"
        ) from None


def refuse_future(day: dt.date, **dates: dt.date | None) -> None:
    """Refuse, field by field, a date of something that has happened which lies after `day`."""
    errors = {
        field: _("The date cannot be in the future.")
        for field, value in dates.items()
        if value is not None and value > day
    }
    if errors:
        raise ValidationError(errors)


def check_release(situation: str, release_date: dt.date | None, day: dt.date) -> None:
    """Refuse a release without an address that the priority may not count
    (:func:`anvis_core.cases.situation.release_problem`), on the release date's field."""
    problem = release_problem(situation, release_date, day)
    if problem is ReleaseProblem.NO_DATE:
        message = _("Give the release date: a release without an address needs it.")
    elif problem is ReleaseProblem.TOO_FAR:
        message = _(
            "The release date is more than %(days)d days ahead: until then the citizen is not "
            "yet released without an address. Record the current situation instead."
        ) % {"days": RELEASE_WINDOW_DAYS}
    else:
        return
    raise ValidationError({"release_date": message}, code=problem.value)


def citizen_hash(cpr: Cpr) -> str:
    return lookup_hash(cpr.digits)


def case_event(
    case: Case, actor: Any, kind: str, summary: str = "", note: str = "", link: str = ""
) -> CaseEvent:
    """A line on the case's timeline, from any app: the summary holds no personal free text (a
    caseworker's ``note`` is stored encrypted), and ``link`` points to the page where what
    happened is shown, if any."""
    return CaseEvent.objects.create(
        case=case,
        actor=acting_user(actor),
        kind=kind,
        summary=summary[:300],
        note=note,
        link=link,
    )


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("citizen").get(pk=case.pk)


def _lock_open(case: Case) -> Case:
    """The case locked for a change of its data, which a closed case refuses: closed is final,
    and a return to homelessness is a new case. What closes out a record (discharging a stay,
    a plan's status, withdrawing consent) and a note on the timeline lock with :func:`_lock`."""
    locked = _lock(case)
    if not locked.is_open:
        raise ValidationError(
            _(
                "The case is closed and can no longer be changed. A return to homelessness is a new case."
            ),
            code="case_closed",
        )
    return locked


def _store_priority(case: Case, today: dt.date) -> None:
    breakdown = adapters.compute_priority(case, today)
    if case.priority_total != breakdown.total or case.priority_computed_on != today:
        case.priority_total = breakdown.total
        case.priority_computed_on = today
        Case.objects.filter(pk=case.pk).update(
            priority_total=breakdown.total, priority_computed_on=today
        )


def _next_number(year: int) -> str:
    prefix = year_prefix(year)
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return case_number(year, seq)


def _new_reference() -> str:
    while True:
        ref = "B-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not Citizen.objects.filter(reference=ref).exists():
            return ref


def _citizen_for(
    *,
    actor: Any,
    parsed: Cpr,
    digest: str,
    first_name: str,
    last_name: str,
    phone: str,
    email: str,
    preferred_contact: str,
) -> tuple[Citizen, Case | None]:
    """The citizen with this CPR (updated contact details) or a new one, and the citizen's
    latest earlier case. Refused when the citizen already has an open case."""
    contact = {
        "first_name": first_name,
        "last_name": last_name,
        "phone": phone,
        "email": email,
        "preferred_contact": preferred_contact,
    }
    citizen = Citizen.objects.select_for_update().filter(cpr_hash=digest).first()
    if citizen is None:
        with audited("cases.citizen_create", actor=actor) as write:
            citizen = write.insert(
                Citizen(
                    cpr=parsed.digits,
                    cpr_hash=digest,
                    reference=_new_reference(),
                    birth_date=parsed.birth_date,
                    recorded_sex=parsed.recorded_sex.value,
                    **contact,
                ),
                exclude=["cpr_hash", "reference"],
            )
        return citizen, None
    open_case = citizen.cases.open().first()
    if open_case is not None:
        raise ValidationError(
            _("This citizen already has an open case (%(number)s).") % {"number": open_case.number},
            code="open_case_exists",
        )
    with audited("cases.citizen_update", actor=actor) as write:
        write.track(citizen)
        for name, value in contact.items():
            setattr(citizen, name, value)
        citizen.full_clean()
        citizen.save()
    return citizen, citizen.cases.order_by("-opened_on", "-pk").first()


def _save_numbered(case: Case, year: int) -> None:
    """Save a new case under the year's next number (retried when a concurrent case took it)."""
    for _attempt in range(5):
        case.number = _next_number(year)
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            case.pk = None
    # pragma: no cover - five concurrent creations in the same instant
    raise ValidationError(_("The case could not be numbered; try again."))
