"""Production mode refuses to start without a real SECRET_KEY, and passes check --deploy."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_check(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ANVIS_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_missing_secret_key() -> None:
    result = run_check({"ANVIS_ENV": "production", "ALLOWED_HOSTS": "anvis.example.dk"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key() -> None:
    result = run_check(
        {
            "ANVIS_ENV": "production",
            "ALLOWED_HOSTS": "anvis.example.dk",
            "SECRET_KEY": "dev-insecure-secret-key-only-for-local-development-0123456789",
        }
    )
    assert result.returncode != 0


def test_production_passes_check_deploy() -> None:
    result = run_check(
        {
            "ANVIS_ENV": "production",
            "ALLOWED_HOSTS": "anvis.example.dk",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ANVIS_FIELD_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "ANVIS_LOOKUP_KEY": secrets.token_urlsafe(48),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unknown_profile_is_refused_not_started_as_development() -> None:
    # A typo must not start the development profile (DEBUG allowed, published keys).
    result = run_check({"ANVIS_ENV": "Production", "ALLOWED_HOSTS": "anvis.example.dk"})
    assert result.returncode != 0
    assert "ANVIS_ENV must be one of development, production (got 'Production')" in result.stderr


def test_a_number_setting_that_is_no_number_names_the_variable() -> None:
    result = run_check({"SESSION_COOKIE_AGE": "30m"})
    assert result.returncode != 0
    assert "SESSION_COOKIE_AGE must be a whole number of at least 1 (got '30m')" in result.stderr


def test_a_switch_that_is_no_yes_or_no_is_refused_not_read_as_off() -> None:
    # `AXES_ENABLED=ture` used to switch the login lockout off without a word.
    result = run_check({"AXES_ENABLED": "ture"})
    assert result.returncode != 0
    assert "AXES_ENABLED must be one of 1, true, yes, on, 0, false, no, off" in result.stderr


def test_a_retention_period_of_no_years_is_refused() -> None:
    # 0 would anonymise every citizen whose cases closed today at the next run.
    result = run_check({"ANVIS_RETENTION_YEARS": "0"})
    assert result.returncode != 0
    assert "ANVIS_RETENTION_YEARS must be a whole number of at least 1" in result.stderr


def test_an_unreadable_api_rate_is_refused_at_start_not_at_each_request() -> None:
    result = run_check({"ANVIS_API_RATE": "600"})
    assert result.returncode != 0
    assert "ANVIS_API_RATE must be" in result.stderr
