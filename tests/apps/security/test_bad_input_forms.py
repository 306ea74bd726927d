"""Malformed values posted to every form of the HTML application (issue #11).

The forms are found on the application's own pages (forms_found.py), each posted as a user
the access matrix allows. Properties, for every form:

* never a server error;
* a submission with a certainly invalid value (see forms_found.py) is refused with a 4xx
  (422 for a form shown again) and a Danish error on the page, never a redirect;
* a refused submission writes nothing: the row counts of every Anvis table (the audit trail
  included) are the same before and after. Only the personal-data access log may grow: showing
  a case page again is an access to the citizen's data and is logged as such.

Other values (empty, huge, unicode, negative, unknown ids, bad dates, NUL bytes) are mixed into
the other fields; such a submission may also succeed (a redirect), when the form accepts it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apps.rowcounts import row_counts

from .access_matrix import MATRIX
from .forms_found import FormField, FoundForm, find_forms, role_for

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
UNKNOWN_ID = "2147483646"
BAD_DATES = ["31-02-2026", "2026-02-30", "2026-13-01", "0000-00-00", "99999-01-01", "i går"]
junk = st.one_of(
    st.just(""),
    st.text(max_size=30),
    st.sampled_from(["ø" * 5000, "x" * 100_000, "𝔄 " * 3000]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [" ", "-1", "0", "1e309", "NaN", "-0.5", UNKNOWN_ID, "x\x00y", "\u202e", "🏠", *BAD_DATES]
    ),
)


def invalid_value(f: FormField) -> st.SearchStrategy[Any]:
    """A value this field certainly refuses, whatever the other fields hold."""
    if f.kind in ("select", "radio"):
        return st.sampled_from([UNKNOWN_ID, "-1", "x\x00", "ø" * 50, "1e309"]).filter(
            lambda v: v not in f.options
        )
    if f.kind == "number":
        return st.sampled_from(["tre", "1,2,3", "\x00", "12abc"])
    if f.kind == "file":
        return st.binary(max_size=300).map(
            lambda b: SimpleUploadedFile("junk.csv", b"\x00\xff" + b)
        )
    with_nul = st.tuples(st.text(max_size=20), st.text(max_size=20)).map(
        lambda t: f"{t[0]}\x00{t[1]}"
    )
    if f.maxlength:
        too_long = st.just("x" * (f.maxlength + 1))
        return st.one_of(with_nul, too_long)
    return with_nul


def other_value(f: FormField) -> st.SearchStrategy[Any]:
    """The value the page showed (often valid), or junk."""
    if f.kind == "file":
        return st.one_of(
            st.just(None),
            st.binary(max_size=300).map(lambda b: SimpleUploadedFile("x.csv", b)),
        )
    return st.one_of(st.just(f.value), junk)


@st.composite
def submissions(draw: Any, form: FoundForm) -> tuple[dict[str, Any], list[str]]:
    corruptible = [f.name for f in form.corruptible]
    broken = (
        draw(st.lists(st.sampled_from(corruptible), max_size=3, unique=True)) if corruptible else []
    )
    data: dict[str, Any] = {}
    for name, f in form.fields.items():
        value = draw(invalid_value(f) if name in broken else other_value(f))
        if value is not None:
            data[name] = value
    # Parameters the form does not have: ignored, never an error.
    extra = draw(
        st.dictionaries(st.sampled_from(["id", "pk", "actor", "organisation", "status"]), junk)
    )
    return {**extra, **data}, broken


def shows_an_error(response: Any) -> bool:
    body = response.content.decode()
    return "field--error" in body or "alert--error" in body or 'class="error"' in body


def check_form(form: FoundForm, client: Client) -> None:
    @EXAMPLES
    @given(submission=submissions(form))
    def run(submission: tuple[dict[str, Any], list[str]]) -> None:
        data, broken = submission
        before = row_counts()
        response = client.post(form.target, data)
        status = response.status_code
        where = f"{form.name} {form.target} (form on {form.page}) broken={broken} data={data!r}"
        assert status < 500, f"server error {status}: {where}"
        if broken:
            assert 400 <= status < 500, f"invalid input answered {status}: {where}"
        if 400 <= status < 500:
            assert row_counts() == before, f"refused but written: {where}"
            if status == 422:
                assert shows_an_error(response), f"422 without an error shown: {where}"
        if status in (301, 302, 303):
            assert not response["Location"].startswith(reverse("accounts:login")), where

    run()


GROUPS = {
    "cases": frozenset({"cases"}),
    "vacancies-matching": frozenset({"vacancies", "matching", "tenancy", "dialogue"}),
    "agreements-reports": frozenset({"agreements", "reports"}),
    "other": frozenset(
        {
            "common",
            "accounts",
            "stock",
            "monitoring",
            "security",
            "notifications",
            "simulation",
            "background",
        }
    ),
}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_form_refuses_malformed_values(
    group: str, world: dict[str, Any], users: dict[str, Any]
) -> None:
    found = find_forms(world, users, GROUPS[group])
    # The pages were read: every group has forms with fields that can be made invalid.
    assert any(form.corruptible for form in found.values()), group
    clients: dict[str, Client] = {}
    for _target, form in sorted(found.items(), key=lambda item: (item[1].name, item[0])):
        role = role_for(MATRIX[form.name])
        assert role is not None, form.name
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        check_form(form, clients[role])


def test_groups_cover_every_namespace() -> None:
    namespaces = {name.split(":")[0] for name in MATRIX} - {"api"}
    grouped = set().union(*GROUPS.values())
    assert namespaces <= grouped, sorted(namespaces - grouped)
