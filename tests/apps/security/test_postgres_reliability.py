"""Backup and restore, and a database connection lost in the middle of a workflow (PostgreSQL).

Both tests use committed data (transaction=True) because pg_dump and a second connection see
only committed rows. On SQLite they are skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError

from tests.conftest import database_is_postgres

from .conftest import NOTE

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.skipif(not database_is_postgres(), reason="needs PostgreSQL (pg_dump, backends)"),
    pytest.mark.django_db(transaction=True),
]

TABLES = (
    "stock_housingorganisation",
    "stock_department",
    "stock_entrance",
    "stock_dwelling",
    "agreements_allocationagreement",
    "agreements_agreementversion",
    "cases_citizen",
    "cases_case",
    "cases_caseevent",
    "audit_auditevent",
    "audit_personaldataaccess",
    "accounts_user",
)


def pg_args(settings_dict: dict[str, Any]) -> list[str]:
    args = ["-h", settings_dict["HOST"] or "127.0.0.1", "-U", settings_dict["USER"] or "postgres"]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    return args


def dsn(settings_dict: dict[str, Any], name: str) -> str:
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user = settings_dict["USER"] or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgresql://{auth}{host}:{port}/{name}"


def counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    out = {}
    for table in TABLES:
        row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        assert row is not None
        out[table] = row[0]
    return out


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_backup_and_restore_give_the_same_data(world: dict[str, Any], tmp_path: Path) -> None:
    settings_dict = connection.settings_dict
    source = settings_dict["NAME"]
    target = f"{source}_restored"
    dump = tmp_path / "anvis.dump"
    base = pg_args(settings_dict)
    subprocess.run(
        ["pg_dump", *base, "--format=custom", f"--file={dump}", source], check=True, timeout=120
    )
    subprocess.run(["dropdb", *base, "--if-exists", target], check=True, timeout=60)
    subprocess.run(["createdb", *base, target], check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", *base, "--no-owner", f"--dbname={target}", str(dump)],
            check=True,
            timeout=120,
        )
        with (
            psycopg.connect(dsn(settings_dict, source)) as a,
            psycopg.connect(dsn(settings_dict, target)) as b,
        ):
            original, restored = counts(a), counts(b)
            assert original == restored
            assert original["cases_case"] == 2 and original["audit_auditevent"] > 5
        # The application, started on the restored database, shows the same data: the CPR
        # number decrypts, names and notes are there, and the case page renders them.
        script = (
            (
                "from django.test import Client; from anvis.accounts.models import User; "
                "from anvis.cases.models import Case; case = Case.objects.get(number=NUMBER); "
                "c = Client(); c.force_login(User.objects.get(username='u_sagsbehandler')); "
                "page = c.get(f'/sager/{case.pk}/tidslinje/').content.decode(); "
                "print(case.number, case.citizen.cpr, case.citizen.full_name, NOTE in page, sep='|')"
            )
            .replace("NOTE", repr(NOTE))
            .replace("NUMBER", repr(world["case"].number))
        )
        env = {**os.environ, "DATABASE_URL": dsn(settings_dict, target)}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        number, cpr, name, note_shown = result.stdout.strip().splitlines()[-1].split("|")
        assert number == world["case"].number
        assert cpr == world["citizen"].cpr
        assert name == world["citizen"].full_name
        assert note_shown == "True"
    finally:
        subprocess.run(["dropdb", *base, "--if-exists", target], check=False, timeout=60)


def test_connection_killed_mid_workflow_leaves_nothing_half_written(
    users: dict[str, Any],
) -> None:
    """The database backend serving a case creation is terminated from a second connection
    after the citizen row is written but before the transaction commits: afterwards there is
    no citizen, no case and no audit event; the retried call then succeeds exactly once."""
    from anvis.audit import services as audit
    from anvis.audit.models import AuditEvent
    from anvis.cases import services
    from anvis.cases.models import Case, Citizen

    settings_dict = connection.settings_dict
    real_audit = audit.audit_record

    def terminate_then_audit(**kwargs: Any) -> Any:
        pid = connection.connection.info.backend_pid
        with psycopg.connect(dsn(settings_dict, settings_dict["NAME"]), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return real_audit(**kwargs)

    arguments = {
        "cpr": "010190-1235",
        "first_name": "Afbrudt",
        "last_name": "Forbindelse",
        "situation": "rough_sleeping",
        "situation_since": dt.date(2026, 1, 1),
        "today": dt.date(2026, 2, 1),
    }
    with (
        mock.patch.object(audit, "audit_record", terminate_then_audit),
        pytest.raises((OperationalError, InterfaceError, DatabaseError)),
    ):
        services.case_create(actor=users["sagsbehandler"], **arguments)
    connection.close()  # the application's next request gets a fresh connection
    assert Citizen.objects.count() == 0
    assert Case.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="cases.").exists()

    case = services.case_create(actor=users["sagsbehandler"], **arguments)
    assert Case.objects.get().number == case.number
    assert AuditEvent.objects.filter(action="cases.case_create").count() == 1
