"""API v1: the case list as a file, for municipal roles only (logged as personal-data access)."""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework.request import Request

from anvis.audit.services import Purpose, citizens_read
from anvis.cases.selectors import case_list
from anvis.cases.tables import CASE_COLUMNS
from anvis.common.exports import file_response
from anvis.permissions import MUNICIPAL

from ..access import api_access
from ..filters import refuse_unknown_parameters
from .common import ExportView, export_schema, filetype


@api_access(MUNICIPAL, deny_status=404)
class CaseExport(ExportView):
    @export_schema("The case list as CSV or XLSX (municipal roles; logged as personal-data access)")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown_parameters(request.query_params, {"filetype"})  # no filters
        kind = filetype(request)
        cases = list(case_list(user=request.user))
        citizens_read(
            request, (case.citizen for case in cases), what="case.export", purpose=Purpose.EXPORT
        )
        return file_response(name="sager", filetype=kind, columns=CASE_COLUMNS, items=cases)
