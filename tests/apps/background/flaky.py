"""A task for the queue's tests: it fails while the cache says so (importable by the worker)."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

from anvis.background.queue import retry


class FlakyError(Exception):
    pass


@retry(attempts=3, base_delay_seconds=30)
@task()
def flaky(key: str) -> str:
    if cache.get(key):
        raise FlakyError(f"{key} failed on purpose")
    return "ok"
