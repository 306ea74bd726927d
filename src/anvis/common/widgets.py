"""Form widgets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    """A select that writes its options in Python instead of rendering one template per
    option: the organisation filter lists 560 organisations at national scale, which costs
    about 50 ms through Django's template-based widget rendering and well under 1 ms here.
    The HTML is the same as Django's select (attributes, groups, the selected option)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                value_text = "" if option["value"] is None else str(option["value"])
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        value_text,
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped by format_html)
