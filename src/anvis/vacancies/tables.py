"""Column specs of the vacancy lists' downloads (`anvis.common.exports`): the vacancy list (the
API's export) and the quarter's void-rent statement (the page's CSV)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anvis.common.exports import Column

from .selectors import VoidRentLine


def _payer(value: str) -> str:
    from anvis.agreements.models import VoidRentPayer

    return str(VoidRentPayer(value).label) if value in VoidRentPayer.values else ""


VACANCY_COLUMNS = [
    Column(_("Id"), lambda v: v.pk),
    Column(_("Housing organisation"), lambda v: v.organisation.name),
    Column(_("Dwelling"), lambda v: str(v.dwelling)),
    Column(_("Status"), lambda v: v.get_status_display()),
    Column(_("Reported"), lambda v: v.report_date),
    Column(_("Notice date"), lambda v: v.notice_date),
    Column(_("Available from"), lambda v: v.available_from),
    Column(_("Rent (kr)"), lambda v: v.rent_at_letting),
    Column(_("Answer by"), lambda v: v.response_deadline),
    Column(_("Answered"), lambda v: v.answered_on),
]


def _lease(line: VoidRentLine) -> Any:
    return line.lease


VOID_RENT_COLUMNS = [
    Column(_("Housing organisation"), lambda line: line.organisation),
    Column(_("Dwelling"), lambda line: line.dwelling),
    Column(_("Void rent from"), lambda line: _lease(line).vacancy.void_rent_start),
    Column(_("Lease starts"), lambda line: _lease(line).starts_on),
    Column(_("Days"), lambda line: _lease(line).void_rent_days),
    Column(_("Rent at letting (kr/month)"), lambda line: _lease(line).vacancy.rent_at_letting),
    Column(_("Void rent (kr)"), lambda line: _lease(line).void_rent_amount),
    Column(_("Paid by"), lambda line: _payer(_lease(line).void_rent_payer)),
]
