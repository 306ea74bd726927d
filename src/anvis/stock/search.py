"""Finding a dwelling or a department as people know it: by address, postcode and town, or the
department's number or name (`anvis.common.search` describes the shape)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anvis.common import formats as fmt
from anvis.common.search import Suggestion, spellings, suggestions_answer, words
from anvis.permissions import STOCK_READERS, access

from .models import Department, Dwelling, Entrance

# How many stairwells the first word may pick before the dwellings are read: enough for every
# dwelling of a street, few enough that the national stock is never scanned dwelling by dwelling.
ENTRANCE_CANDIDATES = 300
# How many departments a word may name (by number or part of the name) in that first step.
DEPARTMENT_CANDIDATES = 500


def _place_q(word: str, prefix: str = "") -> Q:
    """A later word that names the place: the street, the postcode or town, the department."""
    p = prefix
    q = Q(**{f"{p}street__icontains": word}) | Q(**{f"{p}city__istartswith": word})
    if word.isdigit():
        q |= Q(**{f"{p}postal_code__startswith": word})
    q |= Q(**{f"{p}department__number__iexact": word})
    q |= Q(**{f"{p}department__name__icontains": word})
    return q


def _keys(word: str) -> set[str]:
    """The typed word as the lower-case keys hold it: `LOWER()` folds every letter on
    PostgreSQL, only A–Z on SQLite, where "Ærøgade" is kept as "Ærøgade": so the word is also
    tried as typed and capitalised ("ærø" → "Ærø", as names are written), A–Z folded."""

    def sqlite_lower(text: str) -> str:
        return "".join(c.lower() if c.isascii() else c for c in text)

    return {word.lower(), sqlite_lower(word), sqlite_lower(word.capitalize())}


def _street_starts(word: str, prefix: str = "") -> Q:
    q = Q()
    for key in _keys(word):
        q |= Q(**{f"{prefix}street_key__startswith": key})
    return q


def _street_and_number(parts: list[str]) -> str:
    """The typed street up to its house number ("Østerbrogade 53" of "Østerbrogade 53 st tv"):
    stairwells whose address starts so come first, so a full address is found among the
    candidates even where the street name alone names more stairwells than are read."""
    for n, word in enumerate(parts):
        if any(c.isdigit() for c in word):
            return " ".join(parts[: n + 1]) if n else parts[0]
    return parts[0]


def _first_word_q(word: str) -> Q:
    """The first word picks stairwells by the start of their street or town, their postcode, or
    their department's number or name. Each branch is an index scan (the lower-case keys and the
    postcode have pattern indexes; the departments are looked up first, a small table), so the
    national stock is never read stairwell by stairwell."""
    q = _street_starts(word)
    for key in _keys(word):
        q |= Q(city_key__startswith=key)
    if word.isdigit():
        q |= Q(postal_code__startswith=word)
    departments = list(
        Department.objects.filter(Q(number__iexact=word) | Q(name__icontains=word)).values_list(
            "pk", flat=True
        )[:DEPARTMENT_CANDIDATES]
    )
    if departments:
        q |= Q(department_id__in=departments)
    return q


def dwelling_search(
    queryset: QuerySet[Dwelling], text: str, *, entrances: QuerySet[Entrance] | None = None
) -> QuerySet[Dwelling]:
    """Dwellings whose street or town starts with the first word of `text` (or whose postcode
    or department number or name matches it), and whose address, postcode, town, department,
    floor or door match every later word; streets that start with the first word come first.

    The first word picks at most `ENTRANCE_CANDIDATES` stairwells among `entrances` (the ones
    the user may see; one query over the entrances' indexes); the dwellings are then read
    through the (entrance, floor, door) index."""
    parts = words(text)
    if not parts:
        return queryset.none()
    first = parts[0]
    scope = Entrance.objects.all() if entrances is None else entrances
    candidates = (
        scope.filter(_first_word_q(first))
        .annotate(
            starts=Case(
                When(_street_starts(_street_and_number(parts)), then=Value(0)),
                When(_street_starts(first), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "street", "id")
        .values_list("id", flat=True)[:ENTRANCE_CANDIDATES]
    )
    qs = queryset.filter(entrance__in=list(candidates))
    for word in parts[1:]:
        qs = qs.filter(_place_q(word, "entrance__") | Q(floor__iexact=word) | Q(door__iexact=word))
    return (
        qs.select_related("entrance__department__organisation")
        .annotate(
            starts=Case(
                When(_street_starts(first, "entrance__"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "entrance__street", "entrance__postal_code", "floor", "door", "pk")
    )


def dwelling_suggestion(dwelling: Dwelling) -> Suggestion:
    entrance = dwelling.entrance
    department = entrance.department
    unit = " ".join(p for p in (dwelling.floor, dwelling.door) if p)
    label = (
        f"{entrance.street}{', ' + unit if unit else ''}, {entrance.postal_code} {entrance.city}"
    )
    rooms = ngettext("%(n)d room", "%(n)d rooms", dwelling.rooms) % {"n": dwelling.rooms}
    detail = _("Dept. %(number)s %(name)s (%(organisation)s) · %(rooms)s · %(rent)s kr/month") % {
        "number": department.number,
        "name": department.name,
        "organisation": department.organisation.name,
        "rooms": rooms,
        "rent": fmt.number(dwelling.rent),
    }
    return Suggestion(dwelling.pk, label, detail)


def department_search_q(text: str) -> Q:
    """The one rule for a typed department: every word is its number, or part of its name or
    its organisation's name, or starts its district or postcode; in any case, æ, ø and å too
    (`spellings`)."""
    q = Q()
    for word in words(text):
        either = Q(number__iexact=word)
        for form in spellings(word):
            either |= (
                Q(name__icontains=form)
                | Q(district__istartswith=form)
                | Q(organisation__name__icontains=form)
            )
        if word.isdigit():
            either |= Q(postal_code__startswith=word)
        q &= either
    return q


def department_search(queryset: QuerySet[Department], text: str) -> QuerySet[Department]:
    """Departments `department_search_q` finds."""
    return (
        queryset.filter(department_search_q(text))
        .select_related("organisation")
        .order_by("organisation__name", "number", "pk")
    )


def department_suggestion(department: Department) -> Suggestion:
    place = " ".join(p for p in (department.postal_code, department.district) if p)
    detail = department.organisation.name + (f" · {place}" if place else "")
    return Suggestion(department.pk, f"{department.number} {department.name}", detail)


@access(STOCK_READERS)
def dwelling_suggestions(request: HttpRequest) -> HttpResponse:
    """Dwellings the user may see (organisation staff: their own organisations')."""
    entrances = Entrance.objects.restrict(request.user)
    return suggestions_answer(
        request,
        Dwelling.objects.restrict(request.user),
        lambda qs, text: dwelling_search(qs, text, entrances=entrances),
        dwelling_suggestion,
    )


@access(STOCK_READERS)
def department_suggestions(request: HttpRequest) -> HttpResponse:
    return suggestions_answer(
        request,
        Department.objects.restrict(request.user),
        department_search,
        department_suggestion,
    )
