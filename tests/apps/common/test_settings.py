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
