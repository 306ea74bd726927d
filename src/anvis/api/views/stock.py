"""API v1: the dwelling stock (list, one dwelling, bulk upsert, download)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anvis.common.exports import file_response
from anvis.permissions import STOCK_READERS, STOCK_WRITERS
from anvis.stock.filters import DwellingFilter
from anvis.stock.models import Dwelling
from anvis.stock.tables import DWELLING_COLUMNS

from .. import serializers as s
from ..access import api_access
from ..errors import validation_problem
from ..filters import UserFilterBackend
from ..idempotency import write_endpoint
from ..services import stock_upsert
from .common import ExportView, body, export_schema, filetype, filtered


@api_access(STOCK_READERS)
@extend_schema(tags=["stock"], summary="List dwellings (the stock list's filters)")
class DwellingList(generics.ListAPIView):
    serializer_class = s.DwellingSerializer
    filter_backends = [UserFilterBackend]
    filterset_class = DwellingFilter

    def get_queryset(self) -> Any:
        return (
            Dwelling.objects.restrict(self.request.user)
            .select_related("entrance__department")
            .order_by("pk")
        )


@api_access(STOCK_READERS, deny_status=404)
@extend_schema(tags=["stock"], summary="One dwelling", responses={200: s.DwellingSerializer})
class DwellingDetail(generics.RetrieveAPIView):
    serializer_class = s.DwellingSerializer

    def get_queryset(self) -> Any:
        return Dwelling.objects.restrict(self.request.user).select_related("entrance__department")


@api_access(STOCK_WRITERS)
class StockUpsert(APIView):
    @write_endpoint(
        tag="stock",
        summary="Upsert dwellings in bulk (all or nothing)",
        request=s.StockUpsertSerializer,
        responses={200: s.StockUpsertResultSerializer},
    )
    def post(self, request: Request) -> Response:
        items = [dict(item) for item in body(request, s.StockUpsertSerializer)["items"]]
        result = stock_upsert(actor=request.user, items=items)
        if not result.ok:
            return validation_problem(result.errors, code="stock_invalid")
        return Response({"rows": result.rows, "created": result.created, "updated": result.updated})


@api_access(STOCK_READERS)
class DwellingExport(ExportView):
    @export_schema("The stock list as CSV or XLSX")
    def get(self, request: Request) -> HttpResponse:
        kind = filetype(request)
        qs = Dwelling.objects.restrict(request.user).select_related(
            "entrance__department__organisation"
        )
        return file_response(
            name="bestand",
            filetype=kind,
            columns=DWELLING_COLUMNS,
            items=filtered(DwellingFilter, request, qs).order_by("pk").iterator(chunk_size=2000),
        )
