"""The page for reporting many vacancies at once from a CSV/XLSX file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.core.forms import form_status, posted
from anvis.permissions import REPORTERS, access

from .importing import report_vacancies

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class BulkReportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy("One row per vacancy. The columns are described on this page."),
        validators=[
            FileExtensionValidator(
                ["csv", "xlsx"], message=gettext_lazy("Use a .csv or .xlsx file.")
            )
        ],
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext_lazy("The file may be at most 5 MB."))
        return upload


@access(REPORTERS)
def bulk_report(request: HttpRequest) -> HttpResponse:
    result = None
    form = BulkReportForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = report_vacancies(upload.read(), upload.name, actor=request.user)
        if result.ok:
            municipal = sum(1 for v in result.vacancies if v.status == "municipal")
            messages.success(
                request,
                _(
                    "Reported %(rows)d vacancies: %(municipal)d to the municipality and "
                    "%(ordinary)d for your own waiting list."
                )
                % {
                    "rows": result.rows,
                    "municipal": municipal,
                    "ordinary": result.rows - municipal,
                },
            )
            return redirect("vacancies:vacancy_list")
    return render(
        request,
        "vacancies/bulk_report.html",
        {"form": form, "result": result},
        status=form_status(request, form, refused=result is not None and not result.ok),
    )
