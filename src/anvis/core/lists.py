"""Shared helpers for list pages: filter, paginate, keep the query string."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

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
