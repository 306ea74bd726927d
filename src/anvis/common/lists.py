"""Shared helpers for list pages: filter, paginate, keep the query string."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render

PAGE_SIZE = 50
# Lists count their rows only up to this many: an exact COUNT(*) over the national stock
# (590,000 dwellings) costs more than the page itself, and nobody pages beyond 200 pages; the
# page says "more than 10,000" and asks for a filter instead.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator that counts a queryset with `SELECT COUNT(*) FROM (… LIMIT cap + 1)`, so
    the count stops at `cap`. `capped` tells the template the real number is larger."""

    def __init__(self, object_list: Any, per_page: int, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Without the ordering: the count needs no sort (nor the joins it brings).
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list)

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)


def paginate(
    request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE, cap: int = COUNT_CAP
) -> tuple[Page, str]:
    paginator = CappedPaginator(queryset, per_page, cap=cap)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def list_page(
    request: HttpRequest,
    filterset: Any,
    template: str,
    *,
    each_page: Callable[[Page], object] | None = None,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """The one shape of a filtered list page: the filter's rows, one page of them (`each_page`
    adds the figures for that page only) and the query string for the pager; `status` 422 for a
    posted search the filter refused."""
    page, query = paginate(request, filterset.qs)
    if each_page is not None:
        each_page(page)
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "query": query, **context},
        status=status,
    )


# --- searches for a person: never in a URL ------------------------------------------------------

SEARCH_TOKEN_PARAM = "soeg"  # noqa: S105 (a query parameter name)
_SEARCH_SESSION_KEY = "anvis_private_searches"
_SEARCHES_KEPT = 20


def search_redirect(request: HttpRequest, private: tuple[str, ...]) -> HttpResponseRedirect:
    """A search form posted its terms: keep the ones that may identify a person (`private`: a
    name, a CPR number) in the session under a random one-way token, and redirect to the list
    with the other filters and the token in the URL. The URL (and so every access log, the
    browser's history and any proxy) never holds the term itself."""
    params = request.POST.copy()
    for name in ("csrfmiddlewaretoken", "page", SEARCH_TOKEN_PARAM):
        params.pop(name, None)
    terms = {name: params.pop(name)[-1].strip() for name in private if name in params}
    terms = {name: value for name, value in terms.items() if value}
    if terms:
        token = secrets.token_urlsafe(12)
        kept = dict(request.session.get(_SEARCH_SESSION_KEY, {}))
        kept[token] = terms
        request.session[_SEARCH_SESSION_KEY] = dict(list(kept.items())[-_SEARCHES_KEPT:])
        params[SEARCH_TOKEN_PARAM] = token
    query = params.urlencode()
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


def search_params(request: HttpRequest, private: tuple[str, ...]) -> QueryDict:
    """The list's filter values: the URL's, with the private terms taken only from the session
    (by the token `search_redirect` put in the URL), never from the URL itself."""
    data = request.GET.copy()
    for name in private:
        data.pop(name, None)
    token = data.pop(SEARCH_TOKEN_PARAM, [""])[-1]
    terms = request.session.get(_SEARCH_SESSION_KEY, {}).get(token, {}) if token else {}
    for name in private:
        if terms.get(name):
            data[name] = terms[name]
    return data
