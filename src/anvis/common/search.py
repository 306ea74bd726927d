"""Choosing one row out of many by typing: a search field with suggestions from the server.

The shape, the same for every kind of row (dwelling, department, citizen):

- a **search function** of the kind, `search(queryset, text) -> queryset`, in the kind's app
  (`anvis.stock.search`, `anvis.cases.search`); it decides what a typed text matches;
- a **JSON endpoint** per kind, access-checked like the kind's pages, that answers
  ``{"results": [{"value": 12, "label": "...", "detail": "..."}]}`` (`suggestions_response`);
- :class:`SearchChoiceField` with the widget :class:`SearchSelect` in the form: the page shows a
  text field; `static/anvis/search-select.js` turns it into an ARIA combobox that asks the
  endpoint as the user types and writes the chosen row's id into a hidden field.

Without JavaScript the form still works: the typed text is sent, and the field resolves it with
the same search function (one match is taken; none or several are a Danish error asking for more
of the address, name or number). Endpoints that return personal data answer POST only, so the
typed text never appears in a URL or an access log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .numbers import digits

# Suggestions start at two characters and stop at ten rows.
MIN_CHARS = 2
LIMIT = 10
MAX_TEXT = 100


@dataclass(frozen=True)
class Suggestion:
    value: int
    label: str
    detail: str = ""


def search_text(request: HttpRequest) -> str:
    """The typed text of a search request (``q`` in the query string or the POST body)."""
    source = request.POST if request.method == "POST" else request.GET
    return " ".join(str(source.get("q", "")).split())[:MAX_TEXT]


def words(text: str) -> list[str]:
    """The words of a typed search text, without the punctuation of an address ("3, 2. tv")."""
    cleaned = "".join(c if c.isalnum() or c in "-/" else " " for c in text)
    return [w for w in cleaned.split() if w][:6]


def spellings(word: str) -> set[str]:
    """A typed word as it is typed, in lower case and capitalised. SQLite's `LIKE` (Django's
    `icontains`/`istartswith` there) folds only A–Z, so "østerbro" would not find "Østerbro"; a
    name is written capitalised, so one of these finds it on SQLite as on PostgreSQL."""
    return {word, word.lower(), word.capitalize()}


def suggestions_response(suggestions: Iterable[Suggestion]) -> JsonResponse:
    response = JsonResponse({"results": [asdict(s) for s in suggestions]})
    response["Cache-Control"] = "no-store"
    return response


def suggestions_answer(
    request: HttpRequest,
    queryset: Any,
    search: Callable[[Any, str], Any],
    suggest: Callable[[Any], Suggestion],
    *,
    shown: Callable[[list[Any]], None] | None = None,
) -> JsonResponse:
    """A kind's endpoint answers: nothing before `MIN_CHARS` characters are typed, else the first
    `LIMIT` rows of `queryset` that `search` finds, as `suggest` writes them; `shown` is given
    the rows first (the citizens' endpoints log them as personal-data reads)."""
    text = search_text(request)
    if len(text) < MIN_CHARS:
        return suggestions_response([])
    rows = list(search(queryset, text)[:LIMIT])
    if shown is not None:
        shown(rows)
    return suggestions_response(suggest(row) for row in rows)


class SearchText(str):
    """What the visible text field sent when no suggestion was chosen (no JavaScript, or the
    user typed and submitted)."""


class SearchSelect(forms.Widget):
    """A text field with suggestions (ARIA combobox) plus a hidden field for the chosen id."""

    def __init__(
        self, url_name: str = "", method: str = "get", attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        # Set per form where the endpoint takes arguments (the vacancy of an offer).
        self.url = ""
        self.method = method
        self.describe: Callable[[Any], Suggestion | None] = lambda value: None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        chosen = data.get(name)
        if chosen:
            return chosen
        text = data.get(f"{name}_search", "")
        return SearchText(text) if text else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_search" not in data

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        field_id = final.pop("id", f"id_{name}")
        chosen: Suggestion | None = None
        text = ""
        if isinstance(value, SearchText):
            text = str(value)
        elif value not in (None, ""):
            chosen = self.describe(value)
            text = chosen.label if chosen else ""
        listbox = f"{field_id}_listbox"
        status = f"{field_id}_status"
        described = " ".join(p for p in (final.pop("aria-describedby", ""), status) if p)
        text_attrs = {
            **final,
            "type": "text",
            "id": field_id,
            "name": f"{name}_search",
            "value": text,
            "autocomplete": "off",
            "spellcheck": "false",
            "aria-describedby": described,
            "data-search-input": "",
        }
        return format_html(
            '<div class="search-select" data-search-url="{url}" data-search-method="{method}" '
            'data-min-chars="{min_chars}" data-listbox="{listbox}" data-status="{status}" '
            'data-texts="{texts}">'
            '<input type="hidden" name="{name}" value="{value}" data-search-value="">'
            "<input{text_attrs}>"
            '<ul class="search-select__list" id="{listbox}" role="listbox" hidden '
            'aria-label="{list_label}"></ul>'
            '<p class="search-select__detail help" data-search-detail="">{detail}</p>'
            '<p class="visually-hidden" id="{status}" role="status" aria-live="polite"></p>'
            '</div><script src="{script}" defer></script>',
            url=self.url or (reverse(self.url_name) if self.url_name else ""),
            method=self.method,
            min_chars=MIN_CHARS,
            listbox=listbox,
            status=status,
            texts=json.dumps(
                {
                    "none": _("No matches. Type more or something else."),
                    "one": _("1 suggestion. Use the arrow keys to choose."),
                    "many": _("%(n)s suggestions. Use the arrow keys to choose."),
                    "short": _("Type at least %(n)s characters.") % {"n": MIN_CHARS},
                    "error": _("The search failed. Try again."),
                }
            ),
            name=name,
            value="" if chosen is None else chosen.value,
            text_attrs=flatatt(text_attrs),
            list_label=_("Suggestions"),
            detail=chosen.detail if chosen else "",
            script=static("anvis/search-select.js"),
        )


class SearchChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A model choice chosen by search. ``search(queryset, text)`` is the kind's search
    function; ``suggest(obj)`` its suggestion (label and detail); ``url_name`` its endpoint."""

    default_error_messages = {
        "no_match": gettext_lazy("Nothing matches “%(text)s”. Choose one of the suggestions."),
        "many": gettext_lazy(
            "Several match “%(text)s”, e.g. %(examples)s. Type more, or choose a suggestion."
        ),
    }

    def __init__(
        self,
        *,
        search: Callable[[Any, str], Any],
        suggest: Callable[[Any], Suggestion],
        url_name: str,
        method: str = "get",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("queryset", None)
        kwargs["widget"] = SearchSelect(url_name=url_name, method=method)
        super().__init__(**kwargs)
        self.search = search
        self.suggest = suggest

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result.widget.describe = result._describe
        return result

    def _describe(self, value: Any) -> Suggestion | None:
        pk = digits(value)
        if self.queryset is None or pk is None:
            return None
        obj = self.queryset.filter(pk=pk).first()
        return self.suggest(obj) if obj is not None else None

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, SearchText):
            return super().to_python(value)
        text = " ".join(value.split())[:MAX_TEXT]
        if not text:
            return None
        matches = list(self.search(self.queryset, text)[:3])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                self.error_messages["no_match"], code="no_match", params={"text": text}
            )
        examples = "; ".join(self.suggest(m).label for m in matches[:2])
        raise forms.ValidationError(
            self.error_messages["many"], code="many", params={"text": text, "examples": examples}
        )
