"""Danish CPR numbers: validation, birth date, age, the recorded sex digit, masking.

A CPR number is ``DDMMYYSSSS``: the birth date (day, month, two-digit year) and a four-digit
serial number. It is written ``DDMMYY-SSSS``; the dash is optional on input.

Rules applied here (CPR-kontoret, "Personnummeret i CPR-systemet"):

* The first six digits must form a real calendar date.
* The century comes from the seventh digit (the first serial digit) and the two-digit year:

  ======== ========== =========== ===========
  digit 7  YY 00–36   YY 37–57    YY 58–99
  ======== ========== =========== ===========
  0–3      1900–1936  1937–1957   1958–1999
  4, 9     2000–2036  1937–1957   1958–1999
  5–8      2000–2036  2037–2057   1858–1899
  ======== ========== =========== ===========

* There is **no modulus-11 check**: numbers issued since 1 October 2007 need not satisfy it,
  so rejecting them would reject real people.

The last digit is odd for numbers registered as male and even for female. That is the *legal
sex recorded in the CPR register when the number was issued*; it says nothing about how a
person identifies. Anvis derives it only for aggregate outcome audits (are offers distributed
fairly by gender?) and never uses it in eligibility or priority.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_CPR_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$", re.ASCII)
"""The digits 0-9 only: the lookup of a stored citizen compares the digits as written."""

CPR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})(?:[-\s+]|%2[dD]|%20)?(\d{4})(?!\d)")
"""Anything in a text shaped like a CPR number: ten digits standing alone, with or without a
separator after the sixth (a hyphen, a space, a plus, or one of them URL-encoded). The one
pattern for every check that a free text or a pseudonymous reference holds none, and for the
logs, which mask it."""


def contains_cpr(text: str) -> bool:
    """Whether ``text`` holds anything shaped like a CPR number (:data:`CPR_IN_TEXT`)."""
    return CPR_IN_TEXT.search(text) is not None


def redact_cpr(text: str) -> str:
    """``text`` with everything shaped like a CPR number written ``XXXXXX-XXXX``."""
    return CPR_IN_TEXT.sub("XXXXXX-XXXX", text)


class CprError(ValueError):
    """An invalid CPR number. `code` is ``"format"``, ``"date"`` or ``"future"`` (for translated
    messages)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RecordedSex(StrEnum):
    """The sex digit of the CPR number, as registered (see the module docstring)."""

    MALE = "male"
    FEMALE = "female"


def century_for(seventh_digit: int, yy: int) -> int:
    """The century (1800, 1900 or 2000) from the seventh digit and the two-digit year."""
    if not 0 <= seventh_digit <= 9 or not 0 <= yy <= 99:
        raise ValueError("seventh digit must be 0-9 and the year 0-99")
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5, 6, 7, 8
    if yy <= 57:
        return 2000
    return 1800


@dataclass(frozen=True)
class Cpr:
    """A valid CPR number. Build it with :func:`parse_cpr`."""

    digits: str
    birth_date: dt.date

    @property
    def formatted(self) -> str:
        return f"{self.digits[:6]}-{self.digits[6:]}"

    @property
    def masked(self) -> str:
        return mask_cpr(self.digits)

    @property
    def recorded_sex(self) -> RecordedSex:
        return RecordedSex.MALE if int(self.digits[9]) % 2 == 1 else RecordedSex.FEMALE

    def age_on(self, on: dt.date) -> int:
        return age_on(self.birth_date, on)

    def __str__(self) -> str:  # never print the full number by accident
        return self.masked

    def __repr__(self) -> str:
        return f"Cpr({self.masked!r})"


def normalise_cpr(value: str) -> str:
    """The ten digits of a CPR number written with or without a dash; raises CprError."""
    match = _CPR_RE.match(value.strip())
    if not match:
        raise CprError("format", "A CPR number is written DDMMYY-SSSS (10 digits).")
    return "".join(match.groups())


def parse_cpr(value: str) -> Cpr:
    digits = normalise_cpr(value)
    day, month, yy = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = century_for(int(digits[6]), yy) + yy
    try:
        birth = dt.date(year, month, day)
    except ValueError:
        raise CprError(
            "date", "The first six digits of a CPR number must be a valid date."
        ) from None
    return Cpr(digits=digits, birth_date=birth)


def check_born_by(cpr: Cpr, on: dt.date) -> Cpr:
    """`cpr` when its birth date is on or before `on`. The century table reaches to 2036 and
    2057, so a typing error can give a birth date after the day, which is nobody's number yet:
    ``CprError("future")``."""
    if cpr.birth_date > on:
        raise CprError("future", "The birth date of a CPR number cannot be after the day.")
    return cpr


def is_valid_cpr(value: str) -> bool:
    try:
        parse_cpr(value)
    except CprError:
        return False
    return True


def mask_cpr(value: str) -> str:
    """``DDMMYY-XXXX``: the birth date stays readable, the serial number is hidden.

    Anything that is not a recognisable CPR number is masked completely.
    """
    try:
        digits = normalise_cpr(value)
    except CprError:
        return "XXXXXX-XXXX"
    return f"{digits[:6]}-XXXX"


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years on `on`. Someone born 29 February turns a year older on 1 March in
    non-leap years (the Danish practice for legal age)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
