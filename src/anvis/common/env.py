"""Reading the settings from the environment: one reading per kind of value.

Each refuses a value it cannot read with `ImproperlyConfigured` naming the variable and what it
takes, so a typo in `/etc/anvis/env` stops the start with one clear line instead of a
traceback (`int("30m")`) or, worse, a silent default (`AXES_ENABLED=ture` switching the lockout
off, `ANVIS_ENV=Production` starting the development profile with its published keys).

Plain Python and Django's exception only: the settings module imports this file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured

from .numbers import digits

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    """1/true/yes/on or 0/false/no/off (any case); unset or empty: `default`."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1, true, yes, on, 0, false, no, off (got {value!r})"
    )


def env_int(
    name: str, default: int, *, minimum: int = 0, environ: Mapping[str, str] | None = None
) -> int:
    """A whole number in the digits 0–9, at least `minimum`; unset or empty: `default`."""
    value = _raw(name, environ)
    if value is None:
        return default
    number = digits(value)
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum} (got {value!r})"
        )
    return number


def env_list(
    name: str, default: str = "", *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """Comma-separated items, blanks left out; unset: `default` read the same way."""
    raw = (os.environ if environ is None else environ).get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: Iterable[str], *, environ: Mapping[str, str] | None = None
) -> str:
    """One of `choices`, exactly; unset or empty: `default`."""
    allowed = list(choices)
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def env_int_map(
    name: str, *, minimum: int = 0, environ: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Comma-separated ``key=number`` pairs (``demand=2,arrears=5``), each number as `env_int`
    reads one; unset or empty: no pairs. A pair without its key or number is refused, not left
    out (a typo would otherwise keep the default without a word)."""
    pairs: dict[str, int] = {}
    for item in env_list(name, environ=environ):
        key, _sep, value = item.partition("=")
        number = digits(value.strip())
        if not key.strip() or number is None or number < minimum:
            raise ImproperlyConfigured(
                f"{name} must be key=number pairs separated by commas, each number at least "
                f"{minimum} (got {item!r})"
            )
        pairs[key.strip()] = number
    return pairs
