"""The OpenAPI schema and a server-side documentation page rendered from it (no scripts or
styles from a CDN: the CSP allows 'self' only)."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView

from anvis.permissions import access

from .access import api_access

METHODS = ("get", "post", "put", "patch", "delete")


@api_access(public=True)
class SchemaView(SpectacularAPIView):
    """`/api/v1/schema/` (YAML; `?format=json` for JSON)."""

    throttle_classes: list[Any] = []


@functools.cache
def _schema() -> dict[str, Any]:
    """The schema depends on the code only: generate it once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            out.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "tag": (op.get("tags") or ["api"])[0],
                    "summary": op.get("summary", ""),
                    "parameters": op.get("parameters", []),
                    "request": (body.get("schema") or {}).get("$ref", "").rsplit("/", 1)[-1],
                    "responses": sorted(op.get("responses", {}).keys()),
                }
            )
    out.sort(key=lambda o: (o["tag"], o["path"], o["method"]))
    return out


def _components(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        props = [
            {
                "name": prop,
                "type": spec.get("type") or spec.get("$ref", "").rsplit("/", 1)[-1] or "",
                "format": spec.get("format", ""),
                "required": prop in required,
                "read_only": spec.get("readOnly", False),
                "enum": spec.get("enum", []),
            }
            for prop, spec in component.get("properties", {}).items()
        ]
        out.append({"name": name, "properties": props, "enum": component.get("enum", [])})
    return out


@access(public=True)
def docs_page(request: HttpRequest) -> HttpResponse:
    schema = _schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema.get("info", {}),
            "operations": _operations(schema),
            "components": _components(schema),
        },
    )
