"""Services of the agreement, its versioned terms and governance fora."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.audit.services import audited
from anvis.common import formats as fmt
from anvis.common.clock import local_today
from anvis.stock.models import HousingOrganisation
from anvis_core.quotas import periods_overlap

from ..models import (
    AgreementParty,
    AgreementVersion,
    AllocationAgreement,
    GovernanceForum,
    TurnRecord,
)
from .common import AGREEMENT_FIELDS, FORUM_FIELDS, VERSION_TERMS, _user, first_change_day


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    municipality: str,
    title: str,
    period_start: dt.date,
    parties: Iterable[HousingOrganisation] = (),
    signed_on: dt.date | None = None,
    period_end: dt.date | None = None,
    renegotiation_date: dt.date | None = None,
    notes: str = "",
    terms: dict[str, Any] | None = None,
) -> AllocationAgreement:
    """Create an agreement and its first version (valid from the start), with default terms
    unless `terms` are given."""
    with audited("agreements.agreement_create", actor=actor) as write:
        agreement = write.created(
            AllocationAgreement(
                municipality=municipality,
                title=title,
                signed_on=signed_on,
                period_start=period_start,
                period_end=period_end,
                renegotiation_date=renegotiation_date,
                notes=notes,
            )
        )
        agreement.full_clean()
        parties = list(parties)
        errors = _party_conflicts(agreement, parties)
        if errors:
            raise ValidationError({"parties": errors})
        agreement.save()
        agreement.parties.set(parties)
    initial = {"covered_dwelling_types": ["family"], **(terms or {})}
    agreement_version_create(actor=actor, agreement=agreement, valid_from=period_start, **initial)
    return agreement


def agreement_update(
    *,
    actor: Any,
    agreement: AllocationAgreement,
    parties: Iterable[HousingOrganisation] | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> AllocationAgreement:
    """Change the agreement. A new start date takes the first version along, so the versions
    still cover the whole period (`_first_version_to_move`)."""
    today = local_today(today)
    with audited("agreements.agreement_update", actor=actor) as write:
        agreement = write.track(
            AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
        )
        first = _agreement_change(agreement, parties, fields, today)
        if first is not None:
            _version_start_move(actor, first, agreement)
    return agreement


def _first_version_to_move(
    agreement: AllocationAgreement, today: dt.date, errors: dict[str, list[Any]]
) -> AgreementVersion | None:
    """The first version, when the agreement's new start moves it: it is valid from the start,
    so that no day in force is without terms. An earlier start extends it back; a later one is
    refused once it has been in force or judged a vacancy (history is not rewritten), and may
    not reach the second version."""
    versions = list(agreement.versions.order_by("valid_from")[:2])
    if not versions or versions[0].valid_from == agreement.period_start:
        return None
    first = versions[0]
    if first.valid_from < agreement.period_start:
        if first.is_used(today):
            errors.setdefault("period_start", []).append(
                _("The agreement cannot start after its first version (valid from %(date)s).")
                % {"date": fmt.date(first.valid_from)}
            )
            return None
        if len(versions) > 1 and versions[1].valid_from <= agreement.period_start:
            errors.setdefault("period_start", []).append(
                _("The agreement must start before its version valid from %(date)s.")
                % {"date": fmt.date(versions[1].valid_from)}
            )
            return None
    return first


def _version_start_move(
    actor: Any, first: AgreementVersion, agreement: AllocationAgreement
) -> None:
    """The first version valid from the agreement's new start, with its own audit row."""
    with audited("agreements.version_update", actor=actor) as write:
        version = write.track(AgreementVersion.objects.select_for_update().get(pk=first.pk))
        version.agreement = agreement
        version.valid_from = agreement.period_start
        version.full_clean()
        version.save()


def _agreement_change(
    agreement: AllocationAgreement,
    parties: Iterable[HousingOrganisation] | None,
    fields: dict[str, Any],
    today: dt.date,
) -> AgreementVersion | None:
    """Check and save the agreement's change; returns the first version when the new start
    moves it (saved by the caller, after the agreement)."""
    current = set(agreement.parties.values_list("pk", flat=True))
    for name, value in fields.items():
        if name not in AGREEMENT_FIELDS:
            raise TypeError(f"unknown agreement field {name}")
        setattr(agreement, name, value)
    agreement.full_clean()
    errors: dict[str, list[Any]] = {}
    first = _first_version_to_move(agreement, today, errors)
    if agreement.period_end:
        last = agreement.versions.order_by("-valid_from").first()
        if last and last.valid_from > agreement.period_end:
            errors.setdefault("period_end", []).append(
                _(
                    "The agreement cannot end before its version valid from %(date)s starts. "
                    "End it on that date or later."
                )
                % {"date": fmt.date(last.valid_from)}
            )
    judged = TurnRecord.objects.filter(agreement=agreement)
    outside = judged.filter(report_date__lt=agreement.period_start)
    if agreement.period_end:
        outside = judged.filter(
            Q(report_date__lt=agreement.period_start) | Q(report_date__gt=agreement.period_end)
        )
    if outside.exists():
        errors.setdefault("period_end" if agreement.period_end else "period_start", []).append(
            _("Vacancies have already been judged by the agreement outside this period.")
        )
    party_errors: list[Any] = []
    if parties is not None:
        parties = list(parties)
        removed = current - {p.pk for p in parties}
        if removed and judged.filter(organisation__in=removed).exists():
            party_errors.append(
                _(
                    "A party whose vacancies have been judged by the agreement cannot be "
                    "removed. Set the last day it is party to the agreement instead."
                )
            )
    party_errors += _party_conflicts(
        agreement, parties if parties is not None else list(agreement.parties.all())
    )
    if party_errors:
        errors["parties"] = party_errors
    if errors:
        raise ValidationError(errors)
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    return first


def _period_text(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return _("from %(start)s until terminated") % {"start": fmt.date(start)}
    return f"{fmt.date(start)} – {fmt.date(end)}"


def _membership_end(end: dt.date | None, until: dt.date | None) -> dt.date | None:
    """A party's last day in an agreement: the agreement's end or the party's own last day,
    whichever comes first (None: until the agreement is terminated)."""
    if end is None or until is None:
        return until if end is None else end
    return min(end, until)


def _party_conflicts(
    agreement: AllocationAgreement,
    parties: list[HousingOrganisation],
    until: dict[int, dt.date | None] | None = None,
) -> list[Any]:
    """One message per party that is already party to another agreement at a time it would be
    party to this one (`anvis_core.quotas.periods_overlap`; a party is party from the
    agreement's start to its end or its own last day, `until`: this agreement's new last days):
    an organisation is party to one agreement at a time, because the turn engine, batch
    matching, the ledger and the report each read *the* agreement of an organisation on a day.
    The parties are locked, so two writes cannot each add the same party to overlapping
    agreements."""
    pks = [p.pk for p in parties]
    if not pks:
        return []
    list(HousingOrganisation.objects.select_for_update().filter(pk__in=pks).values_list("pk"))
    mine: dict[int, dt.date | None] = dict(
        AgreementParty.objects.filter(
            allocationagreement_id=agreement.pk, housingorganisation__in=pks
        ).values_list("housingorganisation_id", "until")
    )
    mine.update(until or {})
    others = (
        AgreementParty.objects.filter(housingorganisation__in=pks)
        .exclude(allocationagreement_id=agreement.pk)
        .select_related("allocationagreement", "housingorganisation")
        .order_by(
            "allocationagreement__period_start",
            "allocationagreement_id",
            "housingorganisation__name",
        )
    )
    errors: list[Any] = []
    for membership in others:
        other, organisation = membership.allocationagreement, membership.housingorganisation
        other_end = _membership_end(other.period_end, membership.until)
        if not periods_overlap(
            agreement.period_start,
            _membership_end(agreement.period_end, mine.get(organisation.pk)),
            other.period_start,
            other_end,
        ):
            continue
        errors.append(
            _(
                "%(organisation)s is already party to the agreement “%(agreement)s” "
                "(%(period)s), whose period overlaps this one. An organisation can be party "
                "to one agreement at a time: end the other agreement first, or start this "
                "one after it."
            )
            % {
                "organisation": organisation.name,
                "agreement": other.title,
                "period": _period_text(other.period_start, other_end),
            }
        )
    return errors


def agreement_party_leave(
    *,
    actor: Any,
    agreement: AllocationAgreement,
    organisation: HousingOrganisation,
    last_day: dt.date | None,
) -> AgreementParty:
    """The last day `organisation` is party to the agreement (None: as long as the agreement
    again). After it, its vacancies are no longer the agreement's; its row, history and ledger
    line stay. The last day is within the agreement's period and not before a day of the
    organisation's already judged by the agreement (history is not rewritten)."""
    with audited("agreements.party_leave", actor=actor) as write:
        agreement = AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
        membership = (
            AgreementParty.objects.select_for_update()
            .filter(allocationagreement=agreement, housingorganisation=organisation)
            .first()
        )
        if membership is None:
            raise ValidationError(
                {"organisation": _("The organisation is not a party to the agreement.")}
            )
        write.track(membership)
        _check_last_day(agreement, organisation, last_day)
        membership.until = last_day
        membership.save()
    return membership


def _check_last_day(
    agreement: AllocationAgreement, organisation: HousingOrganisation, last_day: dt.date | None
) -> None:
    errors: list[Any] = []
    if last_day is not None:
        if last_day < agreement.period_start or (
            agreement.period_end is not None and last_day > agreement.period_end
        ):
            errors.append(
                _("The last day must be within the agreement's period (%(period)s).")
                % {"period": _period_text(agreement.period_start, agreement.period_end)}
            )
        first = first_change_day(agreement, organisation=organisation)
        if first is not None and last_day < first - dt.timedelta(days=1):
            judged = fmt.date(first - dt.timedelta(days=1))
            errors.append(
                _(
                    "The organisation's vacancies reported up to %(date)s have already been "
                    "judged by the agreement; its last day can be %(date)s at the earliest."
                )
                % {"date": judged}
            )
    errors += _party_conflicts(agreement, [organisation], {organisation.pk: last_day})
    if errors:
        raise ValidationError({"last_day": errors})


# --- versions -----------------------------------------------------------------------------------


def _check_not_before_judged(
    agreement: AllocationAgreement, valid_from: dt.date, name: str
) -> None:
    first = first_change_day(agreement)
    if first is not None and valid_from < first:
        raise ValidationError(
            {
                name: _(
                    "Vacancies reported up to %(date)s have already been judged by the agreement; "
                    "a change must be valid from a later date."
                )
                % {"date": fmt.date(first - dt.timedelta(days=1))}
            }
        )


def new_version_from(agreement: AllocationAgreement, today: dt.date) -> dt.date:
    """The valid-from date a new version's form starts with: today, or the first day a change
    may be valid from (`first_change_day`) when that is later."""
    first = first_change_day(agreement)
    return max(today, first) if first is not None else today


def agreement_version_create(
    *, actor: Any, agreement: AllocationAgreement, valid_from: dt.date, **terms: Any
) -> AgreementVersion:
    """A change of terms: a new version valid from `valid_from`. Unset terms are copied from the
    version in force on that date (or the model defaults)."""
    unknown = set(terms) - set(VERSION_TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    with audited("agreements.version_create", actor=actor) as write:
        agreement = AllocationAgreement.objects.select_for_update().get(pk=agreement.pk)
        base = (
            agreement.version_for(valid_from) or agreement.versions.order_by("valid_from").first()
        )
        values = {name: getattr(base, name) for name in VERSION_TERMS} if base else {}
        values.update(terms)
        version = write.created(
            AgreementVersion(
                agreement=agreement, valid_from=valid_from, created_by=_user(actor), **values
            )
        )
        version.full_clean()
        _check_not_before_judged(agreement, valid_from, "valid_from")
        version.save()
    return version


def agreement_version_update(
    *, actor: Any, version: AgreementVersion, today: dt.date | None = None, **terms: Any
) -> AgreementVersion:
    """Correct a version that has not come into force yet (and so has judged no vacancy). A
    version in use is superseded by a new version instead; a valid-from date is never moved
    into the past."""
    today = local_today(today)
    with audited("agreements.version_update", actor=actor) as write:
        version = write.track(
            AgreementVersion.objects.select_for_update()
            .select_related("agreement")
            .get(pk=version.pk)
        )
        _version_change(version, today, terms)
    return version


def version_locked_message(version: AgreementVersion, today: dt.date) -> str | None:
    """Why `version` can no longer be edited (None: it can): it has judged vacancies, or it
    has been in force (`AgreementVersion.is_used`). The service refuses with it and the pages
    say it."""
    if version.has_judged():
        return str(
            _(
                "This version has been used to judge vacancies and cannot be changed. "
                "Create a new version instead."
            )
        )
    if version.in_force_since(today):
        return str(
            _(
                "This version has been in force since %(date)s: its terms may already have "
                "decided candidate lists, refusals and overrides, so it cannot be changed. "
                "Create a new version instead."
            )
            % {"date": fmt.date(version.valid_from)}
        )
    return None


def _version_change(version: AgreementVersion, today: dt.date, terms: dict[str, Any]) -> None:
    locked = version_locked_message(version, today)
    if locked:
        raise ValidationError(locked)
    new_from = terms.pop("valid_from", version.valid_from)
    unknown = set(terms) - set(VERSION_TERMS)
    if unknown:
        raise TypeError(f"unknown terms {sorted(unknown)}")
    if new_from != version.valid_from:
        if new_from < today:
            raise ValidationError(
                {"valid_from": _("The valid-from date cannot be moved into the past.")}
            )
        _check_not_before_judged(version.agreement, new_from, "valid_from")
    version.valid_from = new_from
    for name, value in terms.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()


# --- fora ---------------------------------------------------------------------------------------


def forum_save(
    *,
    actor: Any,
    agreement: AllocationAgreement,
    forum: GovernanceForum | None = None,
    **fields: Any,
) -> GovernanceForum:
    with audited("agreements.forum_save", actor=actor) as write:
        forum = write.track(forum) if forum else write.created(GovernanceForum(agreement=agreement))
        for name, value in fields.items():
            if name not in FORUM_FIELDS:
                raise TypeError(f"unknown forum field {name}")
            setattr(forum, name, value)
        forum.full_clean()
        forum.save()
    return forum


# --- department steps ---------------------------------------------------------------------------
