"""Start Anvis' own processes (gunicorn with gunicorn.conf.py, the task worker, the scheduler)
against the test database, for the tests of the production recipe. Every wait is bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def require_postgres_and_redis() -> str:
    """The Redis address, or skip (fail in CI) when PostgreSQL or Redis is missing."""
    if connection.vendor != "postgresql":
        pytest.skip("several app servers need PostgreSQL; run with DATABASE_URL=postgres://…")
    url = os.environ.get("ANVIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI: {exc}")
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    return url


def database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], *, seconds: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
        except Exception:  # not there yet (connection refused, row missing)
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what or check}")
        time.sleep(0.2)


class Processes:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []
        self.names: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        self.names[name] = process
        return process

    def web(self, name: str) -> str:
        port = free_port()
        self.start(
            name,
            str(BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            ANVIS_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
        )
        url = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: urllib.request.urlopen(f"{url}/health/", timeout=5).status == 200,  # noqa: S310
            what=f"{name} to answer",
        )
        return url

    def manage(self, name: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        return self.start(name, PYTHON, "manage.py", *args, **extra)

    def kill(self, name: str) -> None:
        """SIGKILL, as when the machine or the process dies: no clean-up runs."""
        process = self.names[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@contextmanager
def processes(tmp_path: Path, **env: str) -> Iterator[Processes]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_SETTINGS", "DJANGO_ALLOW_ASYNC"))
    }
    base.update(
        {
            "DATABASE_URL": database_url(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "anvis.config.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "AXES_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
    )
    running = Processes(base, tmp_path)
    try:
        yield running
    finally:
        running.stop_all()
