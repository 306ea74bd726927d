"""Form helpers shared by the apps: the HTTP status of a page that shows a form, and form
fields that refuse values the database cannot take.

The status of a page that shows a form:

A POST that was refused (a form or formset with errors, a service's validation error added to
the form, an import file with line errors) is answered with the page and its Danish errors and
status 422 (Unprocessable Content), so that browsers, tests and monitoring can tell a refusal
from a page shown. Every other render of a form page is 200.

    return render(request, "x.html", {"form": form}, status=form_status(request, form))

Numbers typed as Danes write them (:class:`WholeNumberField`, :class:`DecimalNumberField`, and
every integer and decimal field of a :class:`ModelForm`): ``5.000`` kr and ``27,5`` %.

The one shape of a form view's POST (:func:`submit`): a valid form calls one service; a
refusal from the service (`ValidationError`) is put on the form, field by field where it names
one, so the page answers 422 with it; on success a message is shown and the view redirects.
:func:`form_page` is that whole answer:

    form = StepForm(posted(request), agreement=agreement)
    return form_page(
        request, form, lambda cd: services.department_step_set(...),
        success=_("Saved."), done=reverse("agreements:step_list", args=[agreement.pk]),
        template="agreements/form.html", context={"title": _("Set a department step")},
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .importing import parse_number, parse_whole_number

UNPROCESSABLE = 422
T = TypeVar("T")
# The widest integer key a supported database holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1


def posted(request: HttpRequest) -> Any:
    """The submitted data of a POST, else None: the form is bound for every POST, an empty one
    too (Django's `request.POST or None` would show an empty POST as a blank form, without the
    errors of its required fields)."""
    return request.POST if request.method == "POST" else None


def form_status(request: HttpRequest, *forms: Any, refused: bool = False) -> int:
    """422 for a POST whose forms (or formsets) have errors or that was `refused` otherwise
    (e.g. an import with line errors); 200 for everything else, GET requests included.

    Unbound forms (`None` too) never count: a page may show forms for other URLs."""
    if request.method != "POST":
        return 200
    if refused or any(form is not None and form.is_bound and not form.is_valid() for form in forms):
        return UNPROCESSABLE
    return 200


def apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the fields it names, the rest on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A submitted form whose service succeeded, with what the service returned."""

    result: T


def submit(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str] | None = None,
) -> Done[T] | None:
    """Run a form's service on a valid POST. Returns `Done(result)` when the service succeeded
    (after adding the `success` message, which may be made from the result), None when there
    was nothing to do (a GET) or the form or the service refused (the errors are then on the
    form; `form_status` answers 422)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    _succeeded(request, success, result)
    return Done(result)


def form_page(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str] | None,
    done: str | Callable[[T], HttpResponse],
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer of a form view: on a valid POST the service runs (:func:`submit`); when it
    succeeded, `done`: a redirect to the URL (or URL name) it names, or the answer it makes from
    the service's result. Otherwise the page again: `template` with the form and `context`,
    422 when the form or the service refused."""
    if result := submit(request, form, action, success=success):
        return redirect(done) if isinstance(done, str) else done(result.result)
    return render(
        request, template, {"form": form, **(context or {})}, status=form_status(request, form)
    )


def perform(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str | Callable[[T], str] | None = None,
) -> Done[T] | None:
    """Run a button's service (a POST without a form). Returns `Done(result)` when the service
    succeeded (after adding the `success` message, which may be made from the result), None
    when it refused (each of its messages is then an error message on the next page)."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    _succeeded(request, success, result)
    return Done(result)


def _succeeded(request: HttpRequest, success: str | Callable[[T], str] | None, result: T) -> None:
    """The success message of a service's form or button, if it has one."""
    if success:
        messages.success(request, success(result) if callable(success) else success)


class WholeNumberField(forms.IntegerField):
    """A whole number as Danes type it: 3450, 3.450, 3 450 or 3450,00
    (:func:`anvis.common.importing.parse_whole_number`, the rule the file imports use). Django's
    own field reads "5.000" as 5 (it drops a trailing ".000"), which made a rent of five thousand
    kroner five. A text input (numeric keyboard), so the browser does not reinterpret it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_whole_number(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DecimalNumberField(forms.DecimalField):
    """A decimal number as Danes type it: 27,5, 1.234,50 or 5.000 (five thousand), and 27.5
    (:func:`anvis.common.importing.parse_number`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_number(str(value))
        except (ValueError, ArithmeticError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def number_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A model form's field for a model field, with the Danish number fields for integers and
    decimals (:class:`ModelForm`)."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalNumberField)
    elif isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs.setdefault("form_class", WholeNumberField)
    field = db_field.formfield(**kwargs)
    own = [v for v in db_field.validators if isinstance(v, MinValueValidator | MaxValueValidator)]
    if field is not None and own:
        # The model's limits with their own messages ("at least 1 kr a month") instead of the
        # generic ones Django derives for the field's type ("greater than or equal to 0").
        kinds = {type(v) for v in own}
        field.validators = [v for v in field.validators if type(v) not in kinds] + own
    return field


class ModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """Django's model form with numbers read as Danes type them (:func:`number_formfield`).
    Django reads the callback from each form's own ``Meta``, so a subclass's ``Meta`` gets it
    here unless it names one."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(number_formfield)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id beyond the database's integers is an unknown choice like any
    other, not a server error (SQLite cannot even bind it to a query)."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        for pk in value:
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue
            if not -MAX_ID - 1 <= number <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


SEARCH_MAX_LENGTH = 200
"""The longest text a list's search or text filter takes: far above any name, address or case
number, and far below what makes a database's pattern matching fail (SQLite refuses a LIKE
pattern over 50,000 bytes)."""


class CharFilter(django_filters.CharFilter):
    """django-filter's text filter with a length limit (:data:`SEARCH_MAX_LENGTH`): a longer
    value is an error naming the filter, not a failed query."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)


class NumberFilter(django_filters.NumberFilter):
    """django-filter's number filter, limited to the integers a database holds: a larger value
    is an error naming the filter (400 in the API), not a failed query (SQLite cannot bind it,
    and a decimal escapes Django's own overflow check)."""

    field_class = DecimalNumberField  # "4.500" is four thousand five hundred, as in the forms

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The page's filter is a browser number input (it sends plain digits, and nobody types
        # a CPR number into it); a query string (the API) is read by the Danish rule.
        kwargs.setdefault("widget", forms.NumberInput)
        kwargs.setdefault("min_value", -MAX_ID - 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class DateFilter(django_filters.DateFilter):
    """django-filter's date filter with the browser's date picker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class AnyBooleanWidget(BooleanWidget):
    """Yes/no filter whose empty choice reads "Any" ("Alle"), not "Unknown": an empty filter
    means every row, not rows whose value is unknown. A value it cannot read is handed on as
    it is, for the field to refuse (django-filter's widget makes it empty, which would show
    every row as if the filter matched)."""

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        return raw if value is None and raw not in (None, "") else value


class YesNoFilterField(forms.NullBooleanField):
    """Yes, no or empty (any); anything else is refused as an invalid choice."""

    default_error_messages = {
        "invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]
    }

    def to_python(self, value: Any) -> bool | None:
        if value is True or value is False or value in (None, ""):
            return value if value != "" else None
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class AnyBooleanFilter(django_filters.BooleanFilter):
    field_class = YesNoFilterField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", AnyBooleanWidget)
        super().__init__(*args, **kwargs)


#: For an admin's ``formfield_overrides``: an address typed without a scheme is taken as https
#: (Django's default is http until 6.0, and it warns where a form leaves it to the default).
URLS_ASSUME_HTTPS: dict[Any, dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}
