"""Production refuses to start without real field-encryption and lookup keys."""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet

from tests.apps.common.test_settings import run_check

BASE = {
    "ANVIS_ENV": "production",
    "ALLOWED_HOSTS": "anvis.example.dk",
    "SECRET_KEY": secrets.token_urlsafe(64),
}


def test_production_refuses_missing_field_keys() -> None:
    result = run_check(
        {**BASE, "ANVIS_FIELD_KEYS": "", "ANVIS_LOOKUP_KEY": secrets.token_urlsafe(40)}
    )
    assert result.returncode != 0
    assert "ANVIS_FIELD_KEYS must be set" in result.stderr


def test_production_refuses_missing_lookup_key() -> None:
    result = run_check(
        {**BASE, "ANVIS_FIELD_KEYS": Fernet.generate_key().decode(), "ANVIS_LOOKUP_KEY": ""}
    )
    assert result.returncode != 0
    assert "ANVIS_LOOKUP_KEY" in result.stderr


def test_production_starts_with_both_keys() -> None:
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    result = run_check(
        {**BASE, "ANVIS_FIELD_KEYS": keys, "ANVIS_LOOKUP_KEY": secrets.token_urlsafe(40)},
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_field_key_stops_the_start_not_every_case_page() -> None:
    # A key cut short when pasted: before, the application started and every page that reads
    # a CPR number or a note was a server error.
    key = Fernet.generate_key().decode()
    result = run_check(
        {
            **BASE,
            "ANVIS_FIELD_KEYS": f"{key},{key[:-4]}",
            "ANVIS_LOOKUP_KEY": secrets.token_urlsafe(40),
        }
    )
    assert result.returncode != 0
    assert "ANVIS_FIELD_KEYS holds an invalid Fernet key" in result.stderr
