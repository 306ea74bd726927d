import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anvis_core.cpr import (
    CprError,
    RecordedSex,
    age_on,
    century_for,
    contains_cpr,
    is_valid_cpr,
    mask_cpr,
    normalise_cpr,
    parse_cpr,
    redact_cpr,
)


@pytest.mark.parametrize(
    ("value", "birth"),
    [
        ("010190-1234", dt.date(1990, 1, 1)),
        ("0101901234", dt.date(1990, 1, 1)),
        (" 010190-1234 ", dt.date(1990, 1, 1)),
        ("290200-4000", dt.date(2000, 2, 29)),  # leap day, 21st century via digit 4
        ("010136-4001", dt.date(2036, 1, 1)),  # digit 4, YY ≤ 36 → 2000s
        ("010137-4001", dt.date(1937, 1, 1)),  # digit 4, YY ≥ 37 → 1900s
        ("010157-5001", dt.date(2057, 1, 1)),  # digit 5–8, YY ≤ 57 → 2000s
        ("010158-5001", dt.date(1858, 1, 1)),  # digit 5–8, YY ≥ 58 → 1800s
        ("010105-9001", dt.date(2005, 1, 1)),  # digit 9, YY ≤ 36 → 2000s
        ("010199-9001", dt.date(1999, 1, 1)),  # digit 9, YY ≥ 37 → 1900s
        ("311299-3999", dt.date(1999, 12, 31)),  # digit 0–3 → always 1900s
        ("010100-0001", dt.date(1900, 1, 1)),
        ("010190-1235", dt.date(1990, 1, 1)),  # fails modulus 11: still valid (no check since 2007)
    ],
)
def test_valid_numbers_and_birth_dates(value: str, birth: dt.date) -> None:
    assert parse_cpr(value).birth_date == birth
    assert is_valid_cpr(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "format"),
        ("01019-1234", "format"),
        ("010190-12345", "format"),
        ("010190 1234", "format"),
        ("0101901234a", "format"),
        ("01/01/90-1234", "format"),
        ("320190-1234", "date"),
        ("000190-1234", "date"),
        ("011390-1234", "date"),
        ("290201-1234", "date"),  # 1901 is not a leap year
        ("290200-1234", "date"),  # digit 1 → 1900, not a leap year
        # Digits other than 0-9 were taken, so one citizen could be registered twice (the
        # lookup of an existing citizen compares the digits as written).
        ("０１０１９０-１２３４", "format"),
        ("٠١٠١٩٠-١٢٣٤", "format"),
    ],
)
def test_invalid_numbers(value: str, code: str) -> None:
    with pytest.raises(CprError) as info:
        parse_cpr(value)
    assert info.value.code == code
    assert not is_valid_cpr(value)


def test_recorded_sex_from_last_digit() -> None:
    assert parse_cpr("010190-1231").recorded_sex is RecordedSex.MALE
    assert parse_cpr("010190-1232").recorded_sex is RecordedSex.FEMALE


def test_masking_keeps_birth_date_and_hides_serial() -> None:
    assert mask_cpr("0101901234") == "010190-XXXX"
    assert mask_cpr("010190-1234") == "010190-XXXX"
    assert mask_cpr("garbage") == "XXXXXX-XXXX"
    cpr = parse_cpr("010190-1234")
    assert "1234" not in str(cpr) and "1234" not in repr(cpr)
    assert cpr.formatted == "010190-1234"
    assert normalise_cpr("010190-1234") == "0101901234"


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (dt.date(2000, 6, 15), dt.date(2024, 6, 14), 23),
        (dt.date(2000, 6, 15), dt.date(2024, 6, 15), 24),
        (dt.date(2000, 2, 29), dt.date(2018, 2, 28), 17),
        (dt.date(2000, 2, 29), dt.date(2018, 3, 1), 18),
        (dt.date(2000, 2, 29), dt.date(2020, 2, 29), 20),
    ],
)
def test_age_on(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_on(birth, on) == age


@given(
    st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2057, 12, 31)), st.integers(0, 9999)
)
def test_every_representable_date_round_trips(birth: dt.date, serial: int) -> None:
    yy = birth.year % 100
    # choose a seventh digit whose century rule yields the birth year
    for digit in range(10):
        if century_for(digit, yy) + yy == birth.year:
            break
    else:
        pytest.fail(f"no seventh digit gives {birth.year}")  # every year 1858–2057 has one
    serial_text = f"{digit}{serial % 1000:03d}"
    value = f"{birth:%d%m}{yy:02d}{serial_text}"
    assert parse_cpr(value).birth_date == birth


@pytest.mark.parametrize(
    "text",
    ["010190-1234", "ring 0101901234 i dag", "010190 1234", "010190+1234", "/sag/010190%2D1234/"],
)
def test_a_cpr_number_in_a_text_is_found_and_masked(text: str) -> None:
    """One pattern for every check and for the logs: ten digits standing alone, with or without
    a separator (also URL-encoded) after the sixth."""
    assert contains_cpr(text)
    assert "XXXXXX-XXXX" in redact_cpr(text) and not contains_cpr(redact_cpr(text))


@pytest.mark.parametrize("text", ["S-2026-00012", "12345678901", "tlf. 98 76 54 32", "010190-123"])
def test_other_numbers_are_not_taken_for_a_cpr_number(text: str) -> None:
    assert not contains_cpr(text) and redact_cpr(text) == text


def test_a_birth_date_after_the_day_is_refused_and_the_day_itself_is_not() -> None:
    from anvis_core.cpr import CprError, check_born_by, parse_cpr

    day = dt.date(2026, 3, 2)
    assert check_born_by(parse_cpr("020326-4002"), day).birth_date == day
    with pytest.raises(CprError) as info:
        check_born_by(parse_cpr("030326-4002"), day)
    assert info.value.code == "future"
