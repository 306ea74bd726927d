"""Filter backends of the API's lists. `KnownParametersBackend` (every list) refuses a query
parameter the list does not take: a misspelt or absent filter (`?statuss=open`,
`offers/?vacancy=25`) would otherwise answer every row as if it matched. `UserFilterBackend`
hands the user to the project's filtersets (`anvis.stock.filters` and
`anvis.vacancies.filters` take `user=` to scope their choices). The vacancy list's filterset is
the page's own (`anvis.vacancies.filters.VacancyFilter`)."""

from __future__ import annotations

import inspect
from typing import Any

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.settings import api_settings

from anvis.vacancies.filters import VacancyFilter

__all__ = [
    "KnownParametersBackend",
    "UserFilterBackend",
    "VacancyFilter",
    "refuse_unknown_parameters",
]


def refuse_unknown_parameters(query_params: Any, known: set[str]) -> None:
    """400 naming each query parameter the endpoint does not take, with the ones it does."""
    # DRF's `?format=json` chooses the renderer (there is one): taken, never listed.
    unknown = sorted(set(query_params) - known - {api_settings.URL_FORMAT_OVERRIDE})
    if unknown:
        message = _("Unknown parameter. This list takes: %(names)s.") % {
            "names": ", ".join(sorted(known))
        }
        raise serializers.ValidationError({name: [message] for name in unknown})


class KnownParametersBackend(DjangoFilterBackend):
    def known_parameters(self, request: Any, queryset: Any, view: Any) -> set[str]:
        """The list's filters and its paging parameters."""
        known: set[str] = set()
        paginator = getattr(view, "paginator", None)
        for name in ("page_query_param", "page_size_query_param"):
            if getattr(paginator, name, None):
                known.add(getattr(paginator, name))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        return known

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        refuse_unknown_parameters(
            request.query_params, self.known_parameters(request, queryset, view)
        )
        return super().filter_queryset(request, queryset, view)


class UserFilterBackend(KnownParametersBackend):
    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and "user" in inspect.signature(filterset_class.__init__).parameters:
            kwargs["user"] = request.user
        return kwargs
