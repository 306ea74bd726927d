"""Serializer fields shared by the API's endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from anvis.common.importing import parse_whole_number


class WholeNumberField(serializers.IntegerField):
    """A whole number. A JSON number is taken as it is; a number sent as text is read by the rule
    of the forms and the file imports (`parse_whole_number`): "5.000" is five thousand and
    "4450.5" is refused. The REST framework's own field drops a trailing ".000", which made
    arrears of "5.000" kr 5 kr."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and len(data) <= self.MAX_STRING_LENGTH:
            try:
                data = parse_whole_number(data.strip())
            except ValueError:
                self.fail("invalid")
        value: int = super().to_internal_value(data)
        return value
