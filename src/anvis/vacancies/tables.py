"""Column specs of the vacancy lists' downloads (`anvis.common.exports`): the vacancy list (the
API's export) and the quarter's void-rent statement (the page's CSV)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anvis.common.exports import Column

from . import turns
from .selectors import VoidRentLine


def _ended_by(line: VoidRentLine) -> str:
    return str(_("Hand-back") if line.handed_back else _("Lease"))


VACANCY_COLUMNS = [
    Column(_("Id"), lambda v: v.pk),
    Column(_("Housing organisation"), lambda v: v.organisation.name),
    Column(_("Dwelling"), lambda v: str(v.dwelling)),
    Column(_("Status"), turns.status_label),  # the list page's words (`vacancy|status_label`)
    Column(_("Reported"), lambda v: v.report_date),
    Column(_("Notice date"), lambda v: v.notice_date),
    Column(_("Available from"), lambda v: v.available_from),
    Column(_("Rent (kr)"), lambda v: v.rent_at_letting),
    Column(_("Answer by"), lambda v: v.response_deadline),
    Column(_("Answered"), lambda v: v.answered_on),
]


VOID_RENT_COLUMNS = [
    Column(_("Housing organisation"), lambda line: line.organisation),
    Column(_("Dwelling"), lambda line: line.dwelling),
    Column(_("Void rent from"), lambda line: line.vacancy.void_rent_start),
    Column(_("Void rent until"), lambda line: line.ended_on),
    Column(_("Ended by"), lambda line: _ended_by(line)),
    Column(_("Days"), lambda line: line.days),
    Column(_("Rent at letting (kr/month)"), lambda line: line.vacancy.rent_at_letting),
    Column(_("Void rent (kr)"), lambda line: line.amount),
]
