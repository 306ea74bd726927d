"""The municipality's case number (sagsnummer): ``S-<year>-<five digits>``, e.g. ``S-2026-00012``.

The one definition of its shape: the cases app numbers new cases by it, and texts that the
housing organisations read (a håndholdt request) refuse it, since a housing organisation never
sees a case number (docs/privacy.md, "One identifier per citizen per audience")."""

from __future__ import annotations

import re

PREFIX = "S"
TYPED_CASE_NUMBER = re.compile(r"(?:S-)?(\d{4})-(\d{1,5})", re.IGNORECASE)
CASE_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])S-\d{4}-\d{5}(?!\d)", re.IGNORECASE)


def year_prefix(year: int) -> str:
    """The start every case number of `year` shares (``S-2026-``)."""
    return f"{PREFIX}-{year}-"


def case_number(year: int, sequence: int) -> str:
    return f"{year_prefix(year)}{sequence:05d}"


def contains_case_number(text: str) -> bool:
    """Whether ``text`` holds anything shaped like a case number, in any letter case."""
    return CASE_NUMBER_IN_TEXT.search(text) is not None


def typed_case_number(text: str) -> str | None:
    """A case number as a person types it ("s-2026-00012", "2026-00012", "S-2026-12") in its
    one written form (``S-2026-00012``); None when the text is not shaped like one."""
    match = TYPED_CASE_NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    return case_number(int(match[1]), int(match[2]))
