from __future__ import annotations

import pytest
from django.utils import translation

from anvis.monitoring.labels import describe

LABEL_DA = "indkomst i forhold til regionen: 41,5 % (toårigt gennemsnit), "
LABEL_EN = "income relative to the region: 41.5 %, "


@pytest.mark.parametrize(
    ("prefix", "danish", "english"),
    [
        ("udsat", "kriteriet for udsat boligområde", "udsat criterion"),
        ("prevention_level", "kriteriet for forebyggelsesområde", "forebyggelse criterion"),
        ("near_udsat", "tæt på grænsen for udsat boligområde", "close to the udsat threshold"),
    ],
)
def test_a_criterion_reason_names_its_rule_in_one_sentence(
    prefix: str, danish: str, english: str
) -> None:
    params = {"value": "41.5", "threshold": "40"}
    with translation.override("da"):
        text = describe(f"{prefix}.income", {**params, "years": 2})
    assert text == f"{LABEL_DA}{danish} under 40 %."
    with translation.override("en"):
        text = describe(f"{prefix}.income", {**params, "years": 1})
    assert text == f"{LABEL_EN}{english} under 40 %."


def test_an_unknown_criterion_is_its_code() -> None:
    assert describe("near_udsat.unknown") == "near_udsat.unknown"
    assert describe("other.income") == "other.income"
