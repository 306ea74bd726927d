"""Password rule on top of Django's length, common-password, numeric and similarity rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassValidator:
    """At least `min_classes` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must use at least %(n)d of these: lower-case letters, "
                    "upper-case letters, digits and other characters."
                ),
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(n)d of these: lower-case letters, upper-case letters, digits and "
            "other characters."
        ) % {"n": self.min_classes}


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with the parameters OWASP's password storage guidance gives as its first
    choice: 19 MiB of memory, two passes, one lane (docs/security.md, "Password hashing").

    Django's own defaults (100 MiB, eight lanes) cost a gunicorn worker that memory per login
    and, on a small machine, most of its cores; PBKDF2 at a million iterations took 1.7 s per
    login under load and queued every other request behind it. These parameters take tens of
    milliseconds. Stored hashes with other parameters or another algorithm are rewritten with
    these at the next successful login (Django's ``must_update``).
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
