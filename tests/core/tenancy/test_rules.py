"""Event rules, follow-up deadlines in working days, and the support flags."""

from __future__ import annotations

import datetime as dt

import pytest

from anvis_core.cases.support import SupportMethod
from anvis_core.tenancy.deadlines import (
    follow_up_deadline,
    working_days_for,
    working_days_overdue,
)
from anvis_core.tenancy.events import (
    MUNICIPAL_KINDS,
    ORGANISATION_KINDS,
    RISK_KINDS,
    EventKind,
    MoveOutReason,
    Side,
    is_loss,
    move_out_before_events,
    outcome_is_loss,
    placement_outcome,
    side_of,
    still_housed,
    tells_the_caseworker,
)
from anvis_core.tenancy.support import missed_cti_phase_ends, support_flags


def test_sides_partition_the_kinds() -> None:
    assert set(EventKind) == ORGANISATION_KINDS | MUNICIPAL_KINDS
    assert not ORGANISATION_KINDS & MUNICIPAL_KINDS
    assert RISK_KINDS <= ORGANISATION_KINDS
    assert side_of(EventKind.DEMAND) is Side.ORGANISATION
    assert side_of(EventKind.PRISON) is Side.MUNICIPALITY


def test_losses_and_placement_outcomes() -> None:
    assert is_loss(MoveOutReason.EVICTION) and is_loss(MoveOutReason.UNKNOWN)
    assert not is_loss(MoveOutReason.TRANSFER) and not is_loss(MoveOutReason.DEATH)
    assert placement_outcome(MoveOutReason.TRANSFER) == "moved_on"
    assert placement_outcome(MoveOutReason.EVICTION) == "terminated"
    assert placement_outcome(MoveOutReason.DEATH) == "died"


@pytest.mark.parametrize("reason", list(MoveOutReason))
def test_the_placement_register_keeps_is_loss(reason: MoveOutReason) -> None:
    assert outcome_is_loss(placement_outcome(reason)) is is_loss(reason)


def test_how_an_ended_placement_counts_at_an_anniversary() -> None:
    assert still_housed("moved_on") is True  # moved on to another home
    assert still_housed("died") is None  # neither kept nor lost
    for lost in ("terminated", "abandoned", "other", "written_by_no_reason"):
        assert still_housed(lost) is False


def test_demand_deadline_skips_weekend_and_easter() -> None:
    # Friday 2026-03-27 + 2 working days = Tuesday 31 March.
    assert follow_up_deadline(EventKind.DEMAND, dt.date(2026, 3, 27)) == dt.date(2026, 3, 31)
    # Wednesday 1 April 2026 + 2: Maundy Thursday, Good Friday, weekend and Easter Monday are
    # closed, so Tuesday 7 and Wednesday 8 April.
    assert follow_up_deadline(EventKind.DEMAND, dt.date(2026, 4, 1)) == dt.date(2026, 4, 8)
    assert follow_up_deadline(EventKind.WARNING, dt.date(2026, 4, 1)) is None


def test_deadline_overrides_per_kind() -> None:
    assert working_days_for(EventKind.ARREARS, {"arrears": 3}) == 3
    assert working_days_for(EventKind.DEMAND, {"arrears": 3}) == 2
    with pytest.raises(ValueError):
        working_days_for(EventKind.DEMAND, {"demand": -1})
    assert working_days_overdue(dt.date(2026, 3, 31), dt.date(2026, 3, 30)) == 0
    assert working_days_overdue(dt.date(2026, 3, 27), dt.date(2026, 3, 31)) == 2


def test_support_flags() -> None:
    move_in = dt.date(2026, 1, 10)
    today = dt.date(2026, 3, 1)
    none = support_flags(move_in=move_in, method=None, support_start=None, today=today)
    assert none.without_support and none.flagged
    early = support_flags(
        move_in=move_in, method=SupportMethod.ICM, support_start=dt.date(2026, 1, 5), today=today
    )
    assert early.gap_days == -5 and not early.flagged
    late = support_flags(
        move_in=move_in, method=SupportMethod.ACT, support_start=dt.date(2026, 2, 1), today=today
    )
    assert late.gap_days == 22 and late.late
    waiting = support_flags(
        move_in=move_in, method=SupportMethod.ACT, support_start=None, today=today
    )
    assert waiting.gap_days is None and waiting.late and not waiting.without_support


def test_missed_cti_phase_ends() -> None:
    start = dt.date(2025, 1, 1)  # phase ends 31 March, 30 June, 30 September 2025
    assert missed_cti_phase_ends(start, [], dt.date(2025, 9, 30), dt.date(2026, 1, 1)) == ()
    # Paused over the end of phase 2; still running after the course: phase 3 missed too.
    paused = [(dt.date(2025, 6, 1), dt.date(2025, 7, 15))]
    assert missed_cti_phase_ends(start, paused, None, dt.date(2026, 1, 1)) == (2, 3)
    # Phase ends that have not passed are not judged.
    assert missed_cti_phase_ends(start, paused, None, dt.date(2025, 6, 30)) == ()
    flags = support_flags(
        move_in=start,
        method=SupportMethod.CTI,
        support_start=start,
        pauses=paused,
        today=dt.date(2026, 1, 1),
    )
    assert flags.missed_cti_phase_ends == (2, 3) and flags.flagged


def test_a_move_out_cannot_come_before_an_event_already_reported() -> None:
    events = [dt.date(2026, 10, 1), dt.date(2026, 12, 1), dt.date(2026, 11, 5)]
    assert move_out_before_events(dt.date(2026, 11, 1), events) == dt.date(2026, 12, 1)
    assert move_out_before_events(dt.date(2026, 12, 1), events) is None  # the same day
    assert move_out_before_events(dt.date(2026, 12, 2), events) is None
    assert move_out_before_events(dt.date(2026, 1, 1), []) is None


def test_a_lost_home_and_a_death_are_told_at_once() -> None:
    told = {r for r in MoveOutReason if tells_the_caseworker(r)}
    assert told == set(MoveOutReason) - {MoveOutReason.TRANSFER}
