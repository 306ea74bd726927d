"""The page for reporting many vacancies at once from a CSV/XLSX file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy, ngettext

from anvis.common.upload import file_import, upload_form
from anvis.permissions import REPORTERS, access

from .importing import report_vacancies

BulkReportForm = upload_form(
    gettext_lazy("One row per vacancy. The columns are described on this page."), capped=True
)


@access(REPORTERS)
def bulk_report(request: HttpRequest) -> HttpResponse:
    def done(result: Any) -> HttpResponse:
        municipal = sum(1 for v in result.vacancies if v.status == "municipal")
        messages.success(
            request,
            ngettext(
                "Reported %(rows)d vacancy: %(municipal)d to the municipality and "
                "%(ordinary)d for your own waiting list.",
                "Reported %(rows)d vacancies: %(municipal)d to the municipality and "
                "%(ordinary)d for your own waiting list.",
                result.rows,
            )
            % {"rows": result.rows, "municipal": municipal, "ordinary": result.rows - municipal},
        )
        return redirect("vacancies:vacancy_list")

    return file_import(
        request,
        form_class=BulkReportForm,
        importer=report_vacancies,
        template="vacancies/bulk_report.html",
        done=done,
    )
