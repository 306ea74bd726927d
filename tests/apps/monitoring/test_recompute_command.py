"""`manage.py recompute_monitoring`: a date it cannot read is refused with a message."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_a_bad_date_is_refused_with_a_message_not_a_traceback() -> None:
    with pytest.raises(CommandError, match="--date"):
        call_command("recompute_monitoring", "--date", "31-12-2026", stdout=StringIO())


def test_a_date_is_read() -> None:
    out = StringIO()
    call_command("recompute_monitoring", "--date", "2026-12-31", stdout=out)
    assert "as of 2026-12-31" in out.getvalue()
