"""API v1: the agreement's ledger (figures and download), read by the page's own parser and
selector so that the page, the files and the API give the same numbers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anvis.agreements.filters import ledger_query
from anvis.agreements.selectors import ledger, ledger_quarter
from anvis.agreements.tables import ledger_columns, ledger_file_name
from anvis.common.exports import file_response, two_decimals
from anvis.permissions import OVERSIGHT
from anvis_core.quotas.ledger import LedgerFigures

from .. import serializers as s
from ..access import api_access
from ..filters import refuse_unknown_parameters
from .common import ExportView, export_schema, filetype

LEDGER_PARAMS = [
    OpenApiParameter("agreement", OpenApiTypes.INT, required=True),
    OpenApiParameter("quarter", OpenApiTypes.STR, description="YYYY-Qn; default: this quarter"),
    OpenApiParameter("level", OpenApiTypes.STR, enum=["organisation", "department"]),
]


def _figures(f: LedgerFigures) -> dict[str, Any]:
    return {
        "eligible": f.eligible,
        "expected": two_decimals(f.expected),
        "delivered": f.delivered,
        "offered": f.offered,
        "accepted": f.accepted,
        "declined": f.declined,
        "expired": f.expired,
        "pending": f.pending,
        "ordinary": f.ordinary,
        "withdrawn": f.withdrawn,
        "extra": f.extra,
        "handed_back": f.handed_back,
        "blocked": f.blocked,
        "balance": two_decimals(f.balance),
    }


def _ledger_view(request: Request, *other: str) -> Any:
    """The ledger the query asks for, read by the page's own parser (`ledger_query`); `other`:
    the endpoint's further parameters (any parameter beyond them is refused)."""
    refuse_unknown_parameters(request.query_params, {p.name for p in LEDGER_PARAMS} | set(other))
    query = ledger_query(request.query_params, user=request.user)
    if query.unknown_agreement:
        raise Http404
    errors = dict(query.errors)
    if query.agreement is None and "agreement" not in errors:
        errors["agreement"] = [_("Choose an agreement (its id).")]
    if errors:
        raise serializers.ValidationError(errors)
    today = timezone.localdate()
    quarter, refusal = ledger_quarter(query.agreement, query.quarter, today)
    if refusal:
        raise serializers.ValidationError({"quarter": [refusal]})
    return ledger(
        user=request.user,
        agreement=query.agreement,
        quarter=quarter,
        level=query.level,
        today=today,
    )


@api_access(OVERSIGHT)
class LedgerView(APIView):
    @extend_schema(
        tags=["ledger"],
        summary="The agreement's ledger for a quarter (and cumulative)",
        parameters=LEDGER_PARAMS,
        responses={200: s.LedgerSerializer},
    )
    def get(self, request: Request) -> Response:
        view = _ledger_view(request)
        body = {
            "agreement": view.agreement.pk,
            "quarter": str(view.quarter),
            "level": view.level,
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "organisation": row.organisation,
                    "quarter": _figures(row.line.quarter),
                    "cumulative": _figures(row.line.cumulative),
                }
                for row in view.rows
            ],
            "total_quarter": _figures(view.total_quarter),
            "total_cumulative": _figures(view.total_cumulative),
        }
        return Response(s.LedgerSerializer(body).data)


@api_access(OVERSIGHT)
class LedgerExport(ExportView):
    @export_schema("The ledger as CSV or XLSX", *LEDGER_PARAMS)
    def get(self, request: Request) -> HttpResponse:
        kind = filetype(request)
        view = _ledger_view(request, "filetype")
        return file_response(
            name=ledger_file_name(view),
            filetype=kind,
            columns=ledger_columns(view),
            items=view.rows,
        )
