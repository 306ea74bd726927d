"""The one page shape of every file import (stock, vacancies, tenancy events, monitoring): a form
with one file field; a POST hands the file to the app's importer (parse → validate → write, all
or nothing, `anvis.common.importing`); a refused file shows the page again with every line error
and status 422; an accepted one goes where the app says, with its message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .forms import form_status, posted
from .importing import ImportOutcome

#: the cap on pages where the people of a housing organisation upload their files
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

Importer = Callable[..., ImportOutcome]
"""`importer(data, filename, *, actor) -> result`: `.ok`, and `.errors` for the page."""


def upload_form(help_text: str, *, capped: bool = False) -> type[forms.Form]:
    """A form with the one CSV/XLSX file field (`capped`: at most `MAX_UPLOAD_BYTES`)."""

    class UploadForm(forms.Form):
        file = forms.FileField(
            label=_("File (CSV or XLSX)"),
            help_text=help_text,
            validators=[
                FileExtensionValidator(["csv", "xlsx"], message=_("Use a .csv or .xlsx file."))
            ],
        )

        def clean_file(self) -> object:
            upload = self.cleaned_data["file"]
            if capped and upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file may be at most 5 MB."))
            return upload

    return UploadForm


def file_import(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    importer: Importer,
    template: str,
    done: Callable[[Any], HttpResponse],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the upload page; a POST runs `importer` on the file: `done(result)` when the
    file was accepted, else the page again with the result's errors (422)."""
    result = None
    form = form_class(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importer(upload.read(), upload.name, actor=request.user)
        if result.ok:
            return done(result)
    return render(
        request,
        template,
        {"form": form, "result": result, **(context or {})},
        status=form_status(request, form, refused=result is not None and not result.ok),
    )
