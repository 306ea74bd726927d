from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anvis_core.quotas import TurnDecision, TurnState, decide_turn, share_from_percent


def run(share: Fraction, n: int) -> list[bool]:
    state = TurnState()
    out = []
    for _ in range(n):
        decision = decide_turn(state, share)
        out.append(decision.municipal)
        state = decision.after
    return out


def test_every_fourth_vacancy_at_25_percent() -> None:
    assert run(Fraction(1, 4), 8) == [False, False, False, True] * 2


def test_27_percent_gives_27_of_100() -> None:
    assert sum(run(share_from_percent(Decimal("27")), 100)) == 27


def test_zero_share_never_gives_a_turn() -> None:
    assert not any(run(Fraction(0), 500))


def test_full_share_gives_every_vacancy() -> None:
    assert all(run(Fraction(1), 50))


def test_share_from_percent_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        share_from_percent(Decimal("101"))
    with pytest.raises(ValueError):
        share_from_percent(Decimal("-1"))


def test_explanation_names_counts_and_share() -> None:
    decision = decide_turn(
        TurnState(eligible=3, municipal=0, credit=Fraction(3, 4)), Fraction(1, 4)
    )
    assert decision.municipal
    assert decision.explain() == (
        "Municipal turn: 1 of the 4 eligible vacancies in this bucket have gone to the "
        "municipality, share 25 %."
    )


shares = st.fractions(min_value=0, max_value=1, max_denominator=1000)


@settings(max_examples=200)
@given(share=shares, n=st.integers(min_value=1, max_value=400))
def test_within_one_of_share_at_every_prefix(share: Fraction, n: int) -> None:
    municipal = 0
    for i, turn in enumerate(run(share, n), start=1):
        municipal += turn
        assert 0 <= share * i - municipal < 1


@settings(max_examples=100)
@given(steps=st.lists(st.tuples(shares, st.integers(1, 60)), min_size=1, max_size=6))
def test_within_one_when_the_share_changes(steps: list[tuple[Fraction, int]]) -> None:
    state = TurnState()
    promised = Fraction(0)
    for share, count in steps:
        for _ in range(count):
            state = decide_turn(state, share).after
            promised += share
            assert 0 <= promised - state.municipal < 1


@given(share=shares, n=st.integers(0, 200))
def test_deterministic(share: Fraction, n: int) -> None:
    assert run(share, n) == run(share, n)


def test_turns_until_next_agrees_with_the_counter() -> None:
    """The expected next municipal turn is where the counter itself gives it."""
    from fractions import Fraction

    from anvis_core.quotas import TurnState, decide_turn, turns_until_next

    for share in (Fraction(1, 4), Fraction(2, 5), Fraction(1, 3), Fraction(27, 100), Fraction(1)):
        state = TurnState()
        for _ in range(40):
            expected = turns_until_next(state.credit, share)
            k, probe = 0, state
            while True:
                k += 1
                decision = decide_turn(probe, share)
                probe = decision.after
                if decision.municipal:
                    break
            assert expected == k, (share, state)
            state = decide_turn(state, share).after
    assert turns_until_next(Fraction(0), Fraction(0)) is None


def test_a_blocked_vacancy_takes_no_turn_and_the_next_usable_one_does() -> None:
    """judge_turn: not eligible → ordinary; eligible but unusable → blocked without touching the
    counter; usable → the counter decides. At 50 % the 2nd usable vacancy is municipal."""
    from anvis_core.quotas import Outcome, judge_turn

    state = TurnState()
    outcomes = []
    for eligible, unusable in [(True, False), (False, False), (True, True), (True, False)]:

        def take_turn() -> TurnDecision:
            nonlocal state
            decision = decide_turn(state, Fraction(1, 2))
            state = decision.after
            return decision

        j = judge_turn(eligible=eligible, unusable=unusable, take_turn=take_turn)
        outcomes.append((j.outcome, j.municipal, j.reason_code, j.decision is not None))
    assert outcomes == [
        (Outcome.ORDINARY, False, "ordinary_turn", True),
        (Outcome.ORDINARY, False, "not_eligible", False),
        (Outcome.BLOCKED, False, "unusable", False),
        (Outcome.PENDING, True, "municipal_turn", True),
    ]
    assert state == TurnState(eligible=2, municipal=1, credit=Fraction(0))
