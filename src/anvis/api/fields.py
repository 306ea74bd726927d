"""Serializer fields shared by the API's endpoints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from anvis.common.importing import parse_whole_number


class WholeNumberField(serializers.IntegerField):
    """A whole number. A JSON number is taken as it is; a number sent as text is read by the rule
    of the forms and the file imports (`parse_whole_number`): "5.000" is five thousand and
    "4450.5" is refused. The REST framework's own field drops a trailing ".000", which made
    arrears of "5.000" kr 5 kr. A field that takes null takes an empty text as null too, as a
    form's empty field and a file's empty cell are no value."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if self.allow_null and isinstance(data, str) and not data.strip():
            data = None
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and len(data) <= self.MAX_STRING_LENGTH:
            try:
                data = parse_whole_number(data.strip())
            except ValueError:
                self.fail("invalid")
        value: int = super().to_internal_value(data)
        return value


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoField(serializers.Field):  # type: ignore[type-arg]
    """Yes or no as a file import reads it: JSON true or false, or the file's words ("ja",
    "nej", "x", ...) as text. The value is handed on as it came; the import's cell reader
    (`anvis.common.importing.Cells.boolean`) is the one rule of which words mean yes, and its
    message names a word it does not take."""

    default_error_messages = {"invalid": serializers.BooleanField.default_error_messages["invalid"]}

    def to_internal_value(self, data: Any) -> bool | str:
        if isinstance(data, bool | str):
            return data
        if isinstance(data, int):
            return str(data)  # 1 and 0 as a file's cell holds them
        self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return value


class LocalDateTimeField(serializers.DateTimeField):
    """A date and time. With an offset (`Z`, `+02:00`) it is that instant; without one it is a
    local time in Europe/Copenhagen, read by the rule of the page's fields (Django's
    `from_current_timezone`): a time the clock skips in spring or shows twice in autumn is
    refused with the page's message. The REST framework's own field took a skipped time as if
    the change had not happened, an hour from what the caller meant."""

    def enforce_timezone(self, value: Any) -> Any:
        if value.tzinfo is None:
            try:
                value = from_current_timezone(value)
            except ValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return super().enforce_timezone(value)
