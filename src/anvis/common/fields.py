"""Field-level encryption for personal data at rest, and keyed hashes for lookups.

Keys come from settings (``ANVIS_FIELD_KEYS``, ``ANVIS_LOOKUP_KEY``; see docs/cases.md):

* ``ANVIS_FIELD_KEYS``: comma-separated Fernet keys. The first encrypts; all decrypt
  (``MultiFernet``), so a key can be rotated by putting a new key first, running
  ``manage.py rotate_field_keys`` and then removing the old key.
* ``ANVIS_LOOKUP_KEY``: the HMAC key for :func:`lookup_hash`, used to find a citizen by CPR
  without decrypting every row. Changing it requires recomputing the stored hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ANVIS_FIELD_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("ANVIS_FIELD_KEYS holds an invalid Fernet key") from exc


def field_keys_check(keys: list[str]) -> None:
    """Refuse keys that are not Fernet keys (ImproperlyConfigured); the settings call it at
    start-up."""
    _fernet(tuple(keys))


def field_cipher() -> MultiFernet:
    return _fernet(tuple(settings.ANVIS_FIELD_KEYS))


def encrypt_text(value: str) -> str:
    return field_cipher().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return field_cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted with any key in ANVIS_FIELD_KEYS"
        ) from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token with the current (first) key."""
    return field_cipher().rotate(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """HMAC-SHA256 (hex) of an already normalised value, keyed by ANVIS_LOOKUP_KEY."""
    key = settings.ANVIS_LOOKUP_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees the plaintext.

    Encrypted values cannot be filtered or ordered on in the database; store a
    :func:`lookup_hash` next to it when a lookup is needed. Empty strings stay empty (so
    ``blank=True`` fields do not store a token for nothing).
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull"}:
            raise TypeError(f"EncryptedTextField does not support the '{lookup_name}' lookup")
        return super().get_lookup(lookup_name)
