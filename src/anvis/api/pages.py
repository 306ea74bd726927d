"""The downloads page: links to the CSV/XLSX files of the main lists the user may see (the same
files the API serves), and to the API documentation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from anvis.agreements.selectors import agreement_list
from anvis.permissions import ALL_ROLES, MUNICIPAL, OVERSIGHT, access, user_has_role
from anvis_core.quotas import Quarter


@access(ALL_ROLES)
def downloads(request: HttpRequest) -> HttpResponse:
    user = request.user
    ledger_reader = user_has_role(user, OVERSIGHT)
    agreements = list(agreement_list(user=user)) if ledger_reader else []
    return render(
        request,
        "api/downloads.html",
        {
            "agreements": agreements,
            "quarter": str(Quarter.of(timezone.localdate())),
            "cases": user_has_role(user, MUNICIPAL),
        },
    )
