"""Whole numbers written in the digits 0–9: the one reading of an id (a query's agreement,
organisation, department or case, a file's lease number) and of a floor number.

`str.isdigit()` is no such test: it takes "²", which `int()` refuses (a server error), and
Arabic or full-width digits, which `int()` reads but which are no id a person types here.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")
MAX_DIGITS = 18
"""The most digits an id may have: every database's integer holds any 18-digit number."""


def digits(text: object, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The number `text` writes in the digits 0–9 alone (at most `max_digits` of them), or
    None: for an empty text, another character, or more digits."""
    value = str(text) if text is not None else ""
    if len(value) > max_digits or not _DIGITS.fullmatch(value):
        return None
    return int(value)
