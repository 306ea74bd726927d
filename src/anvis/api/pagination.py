"""Page-number pagination of every API list (`page`, `page_size`). A paging value the API cannot
use is refused with 400 naming the parameter, as a bad filter is: DRF's default would answer
with 50 rows a page for `page_size=abc` and quietly cut 1000 to 500, so a client counting
pages itself would miss rows without knowing. A page after the last one is 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from anvis.common.numbers import digits


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        size = digits(raw, max_digits=9)
        if size is None or not 1 <= size <= self.max_page_size:
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give the rows per page as a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "" or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        number = digits(raw, max_digits=9)
        if number is None or number < 1:
            raise serializers.ValidationError(
                {self.page_query_param: [_("Give the page number as a whole number from 1.")]}
            )
        return number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
