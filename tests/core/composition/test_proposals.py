from decimal import Decimal as D

import pytest

from anvis_core.composition import IndicatorValues, StepShares, assess, propose_step

BIG = {"residents": 500, "households": 250}


def values(**kw: D) -> IndicatorValues:
    base = {
        "outside_work_education": D("25"),
        "convictions_relative_national": D("1.2"),
        "basic_schooling_only": D("35"),
        "income_relative_region": D("75"),
        "non_western": D("10"),
    }
    return IndicatorValues(year=2025, **BIG, **{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("v", "level", "share"),
    [
        (values(outside_work_education=D("45"), income_relative_region=D("50")), "red", D("0")),
        (values(basic_schooling_only=D("62")), "yellow", D("15")),
        (values(), "green", D("25")),
        (
            values(
                outside_work_education=D("20"),
                convictions_relative_national=D("1"),
                basic_schooling_only=D("40"),
                income_relative_region=D("80"),
            ),
            "strong",
            D("40"),
        ),
        (
            values(
                outside_work_education=D("20.1"),
                convictions_relative_national=D("0.5"),
                basic_schooling_only=D("20"),
                income_relative_region=D("95"),
            ),
            "green",
            D("25"),
        ),
        (IndicatorValues(year=2025, residents=40, households=20), "green", D("25")),
    ],
)
def test_default_levels(v: IndicatorValues, level: str, share: D) -> None:
    proposal = propose_step(assess(v), v)
    assert (proposal.level, proposal.share) == (level, share)
    assert proposal.reason.params["share"] == str(share)


def test_configurable_shares() -> None:
    shares = StepShares(red=D("0"), yellow=D("10"), green=D("20"), strong=D("40"))
    v = values(basic_schooling_only=D("62"))
    assert propose_step(assess(v), v, shares).share == D("10")
    with pytest.raises(ValueError):
        StepShares(green=D("101"))
