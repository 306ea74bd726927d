import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.cases.priority import (
    DEFAULT_WEIGHTS,
    Criterion,
    PriorityInputs,
    PriorityWeights,
    priority_score,
)
from anvis_core.cases.situation import Situation
from anvis_core.cases.status import (
    CaseStatus,
    TransitionError,
    can_park,
    can_transition,
    check_transition,
    is_parked,
)

TODAY = dt.date(2026, 6, 1)


def test_breakdown_lists_every_criterion_and_sums_to_the_total() -> None:
    inputs = PriorityInputs(
        waiting_since=TODAY - dt.timedelta(days=143),
        situation=Situation.ROUGH_SLEEPING,
        has_children=True,
        discharge_without_address=False,
        urgent=True,
        urgency_reason="Vinter, sover i opgang",
    )
    result = priority_score(inputs, DEFAULT_WEIGHTS, TODAY)
    assert [i.criterion for i in result.items] == list(Criterion)
    assert result.points_for(Criterion.WAITING_DAYS) == 143
    assert result.points_for(Criterion.SITUATION) == 300
    assert result.points_for(Criterion.CHILDREN) == 100
    assert result.points_for(Criterion.DISCHARGE_WITHOUT_ADDRESS) == 0
    assert result.points_for(Criterion.URGENCY) == 200
    assert result.total == 143 + 300 + 100 + 200
    assert result.items[-1].detail == "Vinter, sover i opgang"


def test_situation_order_is_published() -> None:
    order = [
        Situation.ROUGH_SLEEPING,
        Situation.NIGHT_SHELTER,
        Situation.WOMENS_SHELTER,
        Situation.RELEASE_NO_ADDRESS,
        Situation.FRIENDS_FAMILY,
        Situation.TEMPORARY_HOUSING,
    ]
    points = [priority_score(PriorityInputs(TODAY, s), today=TODAY).total for s in order]
    assert points == sorted(points, reverse=True) and len(set(points)) == len(points)
    night = priority_score(PriorityInputs(TODAY, Situation.NIGHT_SHELTER), today=TODAY).total
    shelter = priority_score(PriorityInputs(TODAY, Situation.SHELTER_110), today=TODAY).total
    assert night == shelter


def test_weights_are_configurable() -> None:
    weights = PriorityWeights(points_per_waiting_day=2, children=0)
    inputs = PriorityInputs(TODAY - dt.timedelta(days=10), None, has_children=True)
    assert priority_score(inputs, weights, TODAY).total == 20
    with pytest.raises(ValueError):
        PriorityWeights(urgency=-1)


def test_urgency_needs_a_reason() -> None:
    with pytest.raises(ValueError):
        PriorityInputs(TODAY, urgent=True, urgency_reason=" ")


def test_future_waiting_start_gives_zero_days() -> None:
    result = priority_score(PriorityInputs(TODAY + dt.timedelta(days=5)), today=TODAY)
    assert result.total == 0


situations = st.sampled_from([None, *Situation])


@given(
    st.integers(0, 5000),
    st.integers(0, 5000),
    situations,
    situations,
    st.booleans(),
    st.booleans(),
    st.integers(1, 3650),
)
def test_time_never_changes_the_order(
    wait_a: int,
    wait_b: int,
    sit_a: Situation | None,
    sit_b: Situation | None,
    kids_a: bool,
    kids_b: bool,
    later: int,
) -> None:
    a = PriorityInputs(TODAY - dt.timedelta(days=wait_a), sit_a, kids_a)
    b = PriorityInputs(TODAY - dt.timedelta(days=wait_b), sit_b, kids_b)
    then = TODAY + dt.timedelta(days=later)
    before = priority_score(a, today=TODAY).total - priority_score(b, today=TODAY).total
    after = priority_score(a, today=then).total - priority_score(b, today=then).total
    assert before == after
    assert priority_score(a, today=then).total >= priority_score(a, today=TODAY).total


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (CaseStatus.WAITING, CaseStatus.OFFERED, True),
        (CaseStatus.WAITING, CaseStatus.HOUSED, False),
        (CaseStatus.OFFERED, CaseStatus.WAITING, True),
        (CaseStatus.OFFERED, CaseStatus.HOUSED, True),
        (CaseStatus.HOUSED, CaseStatus.FOLLOW_UP, True),
        # a lease cancelled before move-in sends the case back to waiting (the flow only)
        (CaseStatus.HOUSED, CaseStatus.WAITING, True),
        (CaseStatus.FOLLOW_UP, CaseStatus.CLOSED, True),
        (CaseStatus.FOLLOW_UP, CaseStatus.WAITING, True),
        (CaseStatus.CLOSED, CaseStatus.WAITING, False),
        (CaseStatus.WAITING, CaseStatus.CLOSED, True),
    ],
)
def test_transitions(current: CaseStatus, target: CaseStatus, allowed: bool) -> None:
    assert can_transition(current, target) is allowed
    if not allowed:
        with pytest.raises(TransitionError):
            check_transition(current, target)


@pytest.mark.parametrize("current", [CaseStatus.HOUSED, CaseStatus.FOLLOW_UP])
def test_back_to_waiting_is_not_made_by_hand(current: CaseStatus) -> None:
    with pytest.raises(TransitionError):
        check_transition(current, CaseStatus.WAITING, by_hand=True)


def test_parking() -> None:
    assert can_park(CaseStatus.WAITING) and not can_park(CaseStatus.OFFERED)
    assert is_parked(TODAY, TODAY)
    assert not is_parked(TODAY - dt.timedelta(days=1), TODAY)
    assert not is_parked(None, TODAY)
