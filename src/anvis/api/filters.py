"""Filter backend that hands the user to the project's filtersets (`anvis.stock.filters` and
`anvis.vacancies.filters` take `user=` to scope their choices). The vacancy list's filterset is
the page's own (`anvis.vacancies.filters.VacancyFilter`)."""

from __future__ import annotations

import inspect
from typing import Any

from django_filters.rest_framework import DjangoFilterBackend

from anvis.vacancies.filters import VacancyFilter

__all__ = ["UserFilterBackend", "VacancyFilter"]


class UserFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and "user" in inspect.signature(filterset_class.__init__).parameters:
            kwargs["user"] = request.user
        return kwargs
