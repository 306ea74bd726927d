"""Limits before parsing (issue #17, fault 3): body size and JSON nesting depth.

Regression: about 1,200 nested `[` posted to the write endpoints made Python's recursive JSON
decoder raise `RecursionError`, answered with 500. Now the depth is counted by a flat scan of
the raw bytes before the decoder runs, and the answer is a 400 problem naming the limit.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from anvis.api.parsers import DEFAULT_MAX_JSON_DEPTH, json_depth_exceeds
from tests.apps.rowcounts import row_counts

from .test_bad_input import assert_problem

pytestmark = pytest.mark.django_db

WRITE_ENDPOINTS = [
    "/api/v1/vacancies/",
    "/api/v1/stock/",
    "/api/v1/guarantee-claims/",
    "/api/v1/leases/",
    "/api/v1/webhooks/",
]


@pytest.mark.parametrize("path", WRITE_ENDPOINTS)
@pytest.mark.parametrize("key", ["org_a", "municipal"])
def test_deeply_nested_json_is_a_400_naming_the_limit(
    tokens: dict[str, Any], path: str, key: str
) -> None:
    client = Client(headers={"Authorization": f"Bearer {tokens[key].raw}"})
    before = row_counts()
    for body in ("[" * 1200, "[" * 1200 + "]" * 1200, '{"a":' * 1200 + "1" + "}" * 1200):
        response = client.post(path, body, content_type="application/json")
        problem = assert_problem(response, f"{path} {body[:20]}")
        if response.status_code in (403, 404):
            # The role may not write here at all; the refusal comes before the body is read.
            continue
        assert response.status_code == 400, path
        assert problem["code"] == "json_too_deep"
        assert str(DEFAULT_MAX_JSON_DEPTH) in problem["detail"]
    assert row_counts() == before


def test_the_organisations_write_endpoints_all_reach_the_depth_check(
    tokens: dict[str, Any],
) -> None:
    """At least one of the two tokens is allowed to write at each endpoint, so the 400 above is
    not only ever skipped."""
    codes = {}
    for path in WRITE_ENDPOINTS:
        for key in ("org_a", "municipal"):
            client = Client(headers={"Authorization": f"Bearer {tokens[key].raw}"})
            response = client.post(path, "[" * 1200, content_type="application/json")
            codes.setdefault(path, set()).add(response.status_code)
    assert all(400 in found for found in codes.values()), codes


def test_nesting_up_to_the_limit_is_parsed(api: Any) -> None:
    """A body exactly at the limit reaches the serializer (and is refused there, naming it)."""
    nested: Any = 1
    for _level in range(DEFAULT_MAX_JSON_DEPTH - 1):
        nested = [nested]
    response = api("org_a").post("/api/v1/vacancies/", {"dwelling": nested})
    problem = assert_problem(response, "at the limit")
    assert response.status_code == 400 and "dwelling" in problem["errors"]


@pytest.mark.parametrize("path", WRITE_ENDPOINTS)
def test_a_body_over_the_limit_is_413(tokens: dict[str, Any], path: str, settings: Any) -> None:
    settings.ANVIS_API_MAX_BODY_BYTES = 10_000
    client = Client(headers={"Authorization": f"Bearer {tokens['org_a'].raw}"})
    before = row_counts()
    body = json.dumps({"remarks": "x" * 20_000})
    response = client.post(path, body, content_type="application/json")
    if response.status_code == 404:  # not the organisation's endpoint
        client = Client(headers={"Authorization": f"Bearer {tokens['municipal'].raw}"})
        response = client.post(path, body, content_type="application/json")
    problem = assert_problem(response, path)
    assert response.status_code == 413, path
    assert problem["code"] == "request_too_large"
    assert "10000" in problem["detail"]
    assert row_counts() == before


def test_the_default_body_limit_is_one_mebibyte(tokens: dict[str, Any]) -> None:
    client = Client(headers={"Authorization": f"Bearer {tokens['org_a'].raw}"})
    small_enough = json.dumps({"items": [], "pad": "x" * (1024 * 1024 - 40)})
    assert (
        client.post("/api/v1/stock/", small_enough, content_type="application/json").status_code
        == 400
    )
    too_large = json.dumps({"items": [], "pad": "x" * (1024 * 1024 + 1)})
    response = client.post("/api/v1/stock/", too_large, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("text", "limit", "exceeds"),
    [
        (b"[]", 1, False),
        (b"[[]]", 1, True),
        (b'{"a": [1, {"b": 2}]}', 3, False),
        (b'{"a": [1, {"b": 2}]}', 2, True),
        (b'"[[[[[[["', 1, False),  # brackets inside a string do not count
        (b'["\\"[[[[", 1]', 1, False),  # nor after an escaped quote
        (b'["\\\\", [[1]]]', 2, True),  # an escaped backslash ends the escape
        (b"]]]][[", 2, False),  # unbalanced closing brackets: the decoder refuses it later
        (b"[" * 100_000, 32, True),
    ],
)
def test_the_depth_scan(text: bytes, limit: int, exceeds: bool) -> None:
    assert json_depth_exceeds(text, limit) is exceeds
