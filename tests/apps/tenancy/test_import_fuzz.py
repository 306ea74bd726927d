"""The event file import refuses junk with Danish line errors and writes nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apps.rowcounts import row_counts

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "-1", "0", "1e309", "restance", "fraflytning", "31-02-2026", "ø" * 600]),
)


@FUZZ
@given(payload=st.binary(max_size=500), name=st.sampled_from(["h.csv", "h.xlsx", "h.txt"]))
def test_random_files_are_refused(
    let: dict[str, Any], client_for: Any, payload: bytes, name: str
) -> None:
    client = client_for("boligorganisation")
    before = row_counts()
    response = client.post("/boligforloeb/fil/", {"file": SimpleUploadedFile(name, payload)})
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert row_counts() == before


#: The examples share the database: a good row written by one (its junk row was blank) would be
#: a repeat in the next, so each example's good row has a day of its own.
DAYS_BACK = itertools.count()


@FUZZ
@given(cells=st.lists(cell, min_size=5, max_size=5))
def test_a_good_row_and_a_junk_row_write_nothing(
    let: dict[str, Any], client_for: Any, cells: list[str]
) -> None:
    client = client_for("boligorganisation")
    day = (timezone.localdate() - dt.timedelta(days=next(DAYS_BACK) % 120)).strftime("%d-%m-%Y")
    junk = ";".join(c.replace(";", ",").replace("\n", " ").replace("\r", " ") for c in cells)
    content = (
        f"lejemaal;haendelse;dato;beloeb;maaneder\n{let['lease'].pk};advarsel;{day};;\n{junk}\n"
    )
    before = row_counts()
    response = client.post(
        "/boligforloeb/fil/", {"file": SimpleUploadedFile("h.csv", content.encode())}
    )
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        body = response.content.decode()
        assert "alert--error" in body and "Linje 3" in body
        assert row_counts() == before
