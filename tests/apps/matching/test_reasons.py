from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from anvis.vacancies.labels import RULE_LABELS, TEMPLATES, describe
from anvis_core.matching.eligibility import RULES


@pytest.fixture(autouse=True)
def danish() -> Any:
    with translation.override("da"):
        yield


def test_every_rule_has_a_danish_text_and_label() -> None:
    for rule in RULES:
        assert rule.code in TEMPLATES
        assert rule.code in RULE_LABELS


@pytest.mark.parametrize(
    ("code", "params", "text"),
    [
        (
            "rent_over_ceiling",
            {"rent": 5200, "ceiling": 5000},
            "Huslejen på 5.200 kr overstiger aftalens loft på 5.000 kr.",
        ),
        (
            "accessibility",
            {"missing": "elevator, wheelchair", "missing_codes": ["elevator", "wheelchair"]},
            "Boligen mangler det, borgeren har brug for: elevator, kørestolsegnet.",
        ),
        ("pets", {}, "Borgeren har husdyr, og de er ikke tilladt i boligen."),
        (
            "area_bar",
            {"barred_until": "2026-06-02"},
            "Boligen ligger i et udpeget boligområde, og borgeren må ikke anvises dertil før "
            "02.06.2026.",
        ),
        (
            "area_bar",
            {"barred_until": "9999-12-31"},
            "Boligen ligger i et udpeget boligområde, og borgeren må ikke anvises dertil, så "
            "længe spærringen varer (en listet ydelse eller periode uden slutdato).",
        ),
        (
            "age_separation",
            {"required": "young", "age_band": "older"},
            "Boligen er forbeholdt unge (18–24 år) borgere; borgeren er ældre (25 år eller "
            "derover).",
        ),
        (
            "cap_reached",
            {"level": "department", "unit": "7", "placed": 4, "max": 4},
            "Loftet for afdelingen 101 Alfa er nået: 4 af 4 anvisninger på 12 måneder "
            "(inkl. aktive tilbud).",
        ),
        (
            "excluded_department",
            {"department": "7"},
            "Borgeren bør ikke bo i afdelingen 101 Alfa.",
        ),
    ],
)
def test_danish_texts(code: str, params: dict[str, Any], text: str) -> None:
    assert describe(code, params, {("department", "7"): "101 Alfa"}) == text
