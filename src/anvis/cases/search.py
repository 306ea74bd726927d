"""Finding a citizen's case by name or case number, for municipal roles only
(`anvis.common.search` describes the shape). The search never takes a CPR number, and the
endpoint answers POST only, so a typed name is never in a URL or a server log; every citizen
shown in a suggestion is written to the personal-data access log."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from anvis.audit.services import Purpose, citizens_read
from anvis.common import formats as fmt
from anvis.common.search import Suggestion, spellings, suggestions_answer, words
from anvis.permissions import MUNICIPAL, POST_ONLY, access

from .models import Case
from .selectors import case_queryset


def case_search_q(text: str) -> Q:
    """The one rule for a typed name or case number: every word of `text` starts the citizen's
    first or last name, or is part of the case number. Digits alone match case numbers only
    (never a CPR number). A name is matched in any case, æ, ø and å too (`spellings`)."""
    q = Q()
    for word in words(text):
        either = Q(number__icontains=word)
        if not word.isdigit():
            for form in spellings(word):
                either |= Q(citizen__first_name__istartswith=form)
                either |= Q(citizen__last_name__istartswith=form)
        q &= either
    return q


def case_search(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases `case_search_q` finds, by the citizen's name."""
    return (
        queryset.filter(case_search_q(text))
        .select_related("citizen")
        .order_by("citizen__last_name", "citizen__first_name", "pk")
    )


def case_suggestion(case: Case) -> Suggestion:
    detail = _("Waiting since %(date)s · priority %(priority)s") % {
        "date": fmt.date(case.waiting_since),
        "priority": fmt.number(case.priority_total),
    }
    return Suggestion(case.pk, f"{case.number} – {case.citizen.full_name}", detail)


@access(MUNICIPAL, deny_status=404, methods=POST_ONLY)
def case_suggestions(request: HttpRequest) -> HttpResponse:
    return suggestions_answer(
        request,
        case_queryset(user=request.user),
        case_search,
        case_suggestion,
        shown=lambda cases: suggested_cases_logged(request, cases, what="case.search"),
    )


def suggested_cases_logged(request: HttpRequest, cases: list[Case], *, what: str) -> None:
    """Write the citizens a suggestion list shows to the personal-data access log."""
    if cases:
        citizens_read(request, (c.citizen for c in cases), what=what, purpose=Purpose.ALLOCATION)
