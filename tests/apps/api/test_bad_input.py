"""Malformed requests to every operation of the JSON API (issue #11).

The operations, their request bodies and query parameters come from the API's own OpenAPI
schema, so a new endpoint is covered as soon as it is documented. Properties:

* never a server error;
* a body with a certainly invalid value for a field (a wrong type, a value outside the enum or
  the limits, a bad date, a NUL byte, a number too large for any database) is refused with 400
  and an `application/problem+json` body whose `errors` name every such field; nothing is
  written (the row counts of every Anvis table, the audit trail included, are unchanged);
* malformed JSON text, a body that is not an object, a wrong content type and junk query
  parameters are refused with a 4xx problem (a query parameter's error names the parameter),
  and write nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anvis.api.errors import PROBLEM_CONTENT_TYPE
from anvis.api.throttling import TokenRateThrottle
from tests.apps.rowcounts import row_counts

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
HUGE = 10**30
HUGE_FLOAT = "__1e400__"  # sent as the JSON number 1e400 (infinity once parsed)
UNKNOWN_ID = 2147483646

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "2026-02-30", "31-02-2026", "x\x00y", "ø" * 5000, "🏠", "-1"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The node with `$ref` and single-item `allOf` replaced by what they point to."""
    while True:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = {
                **schema["components"]["schemas"][name],
                **{k: v for k, v in node.items() if k != "$ref"},
            }
        elif "allOf" in node and len(node["allOf"]) == 1:
            rest = {k: v for k, v in node.items() if k != "allOf"}
            node = {**resolve(schema, node["allOf"][0]), **rest}
        else:
            return node


def invalid_values(prop: dict[str, Any]) -> list[Any]:
    """Values the property certainly refuses, whatever the rest of the body holds."""
    kind = prop.get("type")
    if "enum" in prop:
        return ["ukendt-værdi", {}, ["x"]]
    if kind == "integer":
        # Too large for any database column or key, as an integer or as 1e400 (infinity).
        values: list[Any] = ["tre", {}, [1], "x\x00", HUGE, -HUGE, HUGE_FLOAT]
        if "maximum" in prop:
            values.append(prop["maximum"] + 1)
        if "minimum" in prop:
            values.append(prop["minimum"] - 1)
        return values
    if kind == "number":
        return ["tre", {}, [1], "x\x00"]
    if kind == "boolean":
        return ["måske", {}, [True], 7]
    if kind == "array":
        return ["x", {"a": 1}, 7]
    if kind == "object":
        return ["x", [1], 7]
    if kind == "string":
        values = [{}, [1], "x\x00y"]
        if prop.get("format") == "date":
            values += ["31-02-2026", "2026-02-30", "i går", "99999-01-01"]
        if prop.get("format") == "uri":
            values.append("ikke en adresse")
        if "maxLength" in prop:
            values.append("x" * (prop["maxLength"] + 1))
        return values
    return []


@st.composite
def bodies(draw: Any, schema: dict[str, Any], body: dict[str, Any]) -> tuple[Any, list[str]]:
    """A JSON object for `body`: some properties certainly invalid (named in the result), the
    others junk or missing."""
    properties = {name: resolve(schema, p) for name, p in body.get("properties", {}).items()}
    breakable = sorted(name for name, p in properties.items() if invalid_values(p))
    broken = draw(st.lists(st.sampled_from(breakable), max_size=3, unique=True))
    data: dict[str, Any] = {}
    for name, prop in properties.items():
        if name in broken:
            data[name] = draw(st.sampled_from(invalid_values(prop)))
        elif draw(st.booleans()):
            data[name] = draw(json_values)
    return data, broken


def names(errors: dict[str, Any], field: str) -> bool:
    return any(key == field or key.startswith((f"{field}[", f"{field}.")) for key in errors)


def assert_problem(response: Any, where: str) -> dict[str, Any]:
    assert response.status_code < 500, f"server error {response.status_code}: {where}"
    assert 400 <= response.status_code < 500, f"{response.status_code}: {where}"
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE), where
    problem = response.json()
    assert problem["status"] == response.status_code and problem["title"], where
    return problem


@pytest.fixture
def high_rate_limit() -> Iterator[None]:
    old = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {"api": "100000/min"}
    try:
        yield
    finally:
        TokenRateThrottle.THROTTLE_RATES = old


@pytest.fixture
def operations(
    schema: dict[str, Any],
    tokens: dict[str, Any],
    users: dict[str, Any],
    offer_for: Any,
    org_a: Any,
    org_b: Any,
    high_rate_limit: None,
) -> list[dict[str, Any]]:
    """Every operation of the schema with a concrete path (real ids where it has `{id}`) and
    the client of a token that may use it: the organisation's, else the municipal one."""
    from django.utils import timezone

    from anvis.api.services import webhook_subscription_create
    from anvis.vacancies import services as flow

    offer = offer_for(org_a)
    webhook = webhook_subscription_create(
        actor=users["administrator"], organisation=org_a, url="https://hooks.example.dk/anvis"
    )
    # A lease (of organisation B: the municipal token answers for it) for the lease's own paths.
    leased = offer_for(org_b, "010190-1234")
    today = timezone.localdate()
    flow.offer_accept(actor=users["sagsbehandler"], offer=leased, today=today)
    lease = flow.lease_register(
        actor=users["anvisningsleder"],
        offer=leased,
        signed_on=today,
        starts_on=today + dt.timedelta(days=30),
        move_in_on=today + dt.timedelta(days=30),
        today=today,
    ).lease
    ids = {
        "/api/v1/leases/": lease.pk,
        "/api/v1/offers/": offer.pk,
        "/api/v1/vacancies/": offer.vacancy_id,
        "/api/v1/webhooks/": webhook.pk,
    }
    clients = {
        key: Client(headers={"Authorization": f"Bearer {tokens[key].raw}"})
        for key in ("org_a", "municipal")
    }
    found = []
    for path, ops in sorted(schema["paths"].items()):
        for method, op in sorted(ops.items()):
            concrete = path
            if "{id}" in path:
                prefix = path.split("{id}")[0]
                concrete = path.replace("{id}", str(ids.get(prefix, UNKNOWN_ID)))
            client = clients["org_a"]
            if method == "get" and client.get(concrete).status_code in (403, 404):
                client = clients["municipal"]
            if method == "post":
                probe = client.post(concrete, {}, content_type="application/json")
                if probe.status_code in (403, 404):
                    client = clients["municipal"]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            found.append(
                {
                    "name": f"{method.upper()} {path}",
                    "method": method,
                    "path": concrete,
                    "client": client,
                    "body": resolve(schema, body["schema"]) if body else None,
                    "query": [
                        {**p, "schema": resolve(schema, p.get("schema", {}))}
                        for p in op.get("parameters", [])
                        if p["in"] == "query"
                    ],
                }
            )
    assert len(found) >= 20
    return found


def send(op: dict[str, Any], body: bytes | str, content_type: str) -> Any:
    return getattr(op["client"], op["method"])(op["path"], body, content_type=content_type)


def check_bodies(schema: dict[str, Any], op: dict[str, Any]) -> None:
    @EXAMPLES
    @given(submission=bodies(schema, op["body"]))
    def run(submission: tuple[dict[str, Any], list[str]]) -> None:
        data, broken = submission
        text = json.dumps(data).replace(f'"{HUGE_FLOAT}"', "1e400")
        before = row_counts()
        response = send(op, text, "application/json")
        where = f"{op['name']} broken={broken} body={text[:300]!r}"
        assert response.status_code < 500, f"server error: {where}"
        if broken:
            problem = assert_problem(response, where)
            assert response.status_code == 400, where
            errors = problem.get("errors", {})
            missing = [name for name in broken if not names(errors, name)]
            assert not missing, f"{missing} not named in {errors}: {where}"
        if 400 <= response.status_code < 500:
            assert row_counts() == before, f"refused but written: {where}"

    run()


def test_invalid_fields_are_refused_and_named(
    schema: dict[str, Any], operations: list[dict[str, Any]]
) -> None:
    with_body = [op for op in operations if op["body"] is not None]
    assert len(with_body) >= 6
    for op in with_body:
        check_bodies(schema, op)


BAD_TEXTS = [
    b"",
    b"{",
    b'{"a": }',
    b"[1, 2",
    b"\x00",
    b"\xff\xfe{}",
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b"null",
    b"[]",
    b'"tekst"',
    b"42",
    b"true",
    b'[{"a": 1}]',
]
OTHER_TYPES = [
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "text/csv; charset=utf-8",
]


def check_raw(op: dict[str, Any]) -> None:
    @EXAMPLES
    @given(
        text=st.one_of(st.sampled_from(BAD_TEXTS), st.binary(max_size=200)),
        content_type=st.one_of(st.just("application/json"), st.sampled_from(OTHER_TYPES)),
    )
    def run(text: bytes, content_type: str) -> None:
        before = row_counts()
        response = send(op, text, content_type)
        where = f"{op['name']} {content_type} {text[:100]!r}"
        if content_type != "application/json" and text:
            assert response.status_code == 415, where
        assert_problem(response, where)
        assert row_counts() == before, f"refused but written: {where}"

    run()


def test_malformed_json_and_wrong_content_types_are_refused(
    operations: list[dict[str, Any]],
) -> None:
    for op in operations:
        if op["body"] is not None:
            check_raw(op)


query_values = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1e400",
            "NaN",
            "ja",
            "2026-02-30",
            "31-02-2026",
            "2026-Q9",
            "x\x00",
            "ø" * 3000,
        ]
    ),
)


def check_query(op: dict[str, Any]) -> None:
    params = [p["name"] for p in op["query"]]

    @EXAMPLES
    @given(query=st.dictionaries(st.sampled_from(params), query_values, min_size=1))
    def run(query: dict[str, str]) -> None:
        before = row_counts()
        response = op["client"].get(op["path"], query)
        where = f"{op['name']} {query!r}"
        assert response.status_code < 500, f"server error: {where}"
        if response.status_code >= 400:
            problem = assert_problem(response, where)
            if response.status_code == 400:
                errors = problem.get("errors", {})
                # The parameter given wrong, or a required one left out.
                assert any(names(errors, name) for name in params), f"{errors}: {where}"
        assert row_counts() == before, f"a read wrote: {where}"

    run()


def test_junk_query_parameters_are_refused_or_ignored(operations: list[dict[str, Any]]) -> None:
    for op in operations:
        if op["method"] == "get" and op["query"]:
            check_query(op)


@pytest.mark.parametrize(
    "dwelling", ["2147483646", str(HUGE), str(-HUGE), "1e400", "9223372036854775808"]
)
def test_an_id_no_database_can_hold_is_named_as_unknown(
    api: Any, org_a: Any, dwelling: str
) -> None:
    """Regression: such an id was answered with a request-wide `value_out_of_range` problem
    (SQLite cannot bind it; 1e400 is read as infinity) instead of naming the field."""
    client = api("org_a")
    before = row_counts()
    response = client.client.post(
        "/api/v1/vacancies/",
        f'{{"dwelling": {dwelling}, "notice_date": "2026-03-01", "available_from": "2026-03-10"}}',
        content_type="application/json",
        headers=client.headers,
    )
    problem = assert_problem(response, dwelling)
    assert response.status_code == 400
    assert "findes ikke" in problem["errors"]["dwelling"][0]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/dwellings/", "department"),
        ("/api/v1/dwellings/", "rooms"),
        ("/api/v1/vacancies/", "dwelling"),
        ("/api/v1/exports/dwellings/", "max_rent"),
    ],
)
def test_a_filter_number_no_database_can_hold_is_named(api: Any, path: str, param: str) -> None:
    """Regression: such a value gave a request-wide `value_out_of_range` problem on SQLite."""
    response = api("municipal").get(path, **{param: "9223372036854775808"})
    problem = assert_problem(response, path)
    assert response.status_code == 400
    assert problem["errors"][param]


LARGE = settings(
    max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


@st.composite
def oversized(draw: Any, body: dict[str, Any]) -> tuple[bytes, str]:
    """A body that nests deeply, holds a huge array or a long string, or is simply too large
    (issue #17): every one is refused before or by the parser, never with a server error."""
    field = draw(st.sampled_from(sorted(body.get("properties", {})) or ["x"]))
    kind = draw(st.sampled_from(["deep", "wide", "long", "large"]))
    if kind == "deep":
        depth = draw(st.integers(min_value=33, max_value=5000))
        value = "[" * depth + "]" * draw(st.sampled_from([0, depth]))
        return f'{{"{field}": {value}}}'.encode(), kind
    if kind == "wide":
        n = draw(st.integers(min_value=10_000, max_value=150_000))
        return json.dumps({field: list(range(n))}).encode(), kind
    if kind == "long":
        n = draw(st.integers(min_value=10_000, max_value=900_000))
        return json.dumps({field: "ø" * (n // 2)}).encode(), kind
    n = draw(st.integers(min_value=1024 * 1024 + 1, max_value=3 * 1024 * 1024))
    return json.dumps({field: "x" * n}).encode(), kind


def check_oversized(op: dict[str, Any]) -> None:
    @LARGE
    @given(submission=oversized(op["body"]))
    def run(submission: tuple[bytes, str]) -> None:
        text, kind = submission
        before = row_counts()
        response = send(op, text, "application/json")
        where = f"{op['name']} {kind} {len(text)} bytes {text[:60]!r}"
        problem = assert_problem(response, where)
        if kind == "deep" and response.status_code not in (403, 404):
            assert response.status_code == 400 and problem["code"] == "json_too_deep", where
        if kind == "large":
            assert response.status_code in (403, 404, 413), where
        assert row_counts() == before, f"refused but written: {where}"

    run()


def test_deep_wide_long_and_large_bodies_are_refused(operations: list[dict[str, Any]]) -> None:
    for op in operations:
        if op["body"] is not None:
            check_oversized(op)
