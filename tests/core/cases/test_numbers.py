"""The case number's one shape: the numbers the cases app gives and what a text refuses."""

from __future__ import annotations

import pytest

from anvis_core.cases.numbers import (
    case_number,
    contains_case_number,
    typed_case_number,
    year_prefix,
)


def test_the_number_of_a_case() -> None:
    assert case_number(2026, 12) == "S-2026-00012"
    assert case_number(2026, 12).startswith(year_prefix(2026))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("S-2026-00012", True),
        ("sag s-2026-00012, stuebolig", True),
        ("(S-2025-12345)", True),
        ("HF-2026-014", False),
        ("XS-2026-00012", False),
        ("S-2026-000123", False),
        ("S-26-00012", False),
        ("B-N3BKZJTH", False),
    ],
)
def test_a_case_number_in_a_text(text: str, found: bool) -> None:
    assert contains_case_number(text) is found


def test_a_typed_case_number_is_read_in_its_one_written_form() -> None:
    for typed in ("S-2026-00012", "s-2026-00012", " 2026-00012 ", "S-2026-12"):
        assert typed_case_number(typed) == "S-2026-00012", typed
    for other in ("", "Karl", "2026", "S-2026-123456", "120385-1235"):
        assert typed_case_number(other) is None, other
