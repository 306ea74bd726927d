"""The one place that says who may see and do what.

Every view is declared with :func:`access` (function views and class-based views alike).
`tests/apps/test_access_rules.py` walks the URL configuration and fails when a view has no
declared rule. Organisation scoping of querysets lives in :class:`OrgScopedQuerySet`.

A view of one object declares it too: `@access(REPORTERS, deny_status=404, obj=Vacancy,
action=WRITE, methods=POST_ONLY)` checks, before the view runs, the role, then
:func:`can` (user, object, action) on the object named by the URL's `pk`, then the method (405).
The view does not repeat any of it. Only active users pass any check.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from anvis_core.workflow import (
    OfferState,
    VacancyState,
    can_accept_on,
    can_lease_cancel_transition,
    can_transition_vacancy,
)


class Role(models.TextChoices):
    CASEWORKER = "sagsbehandler", _("Caseworker")
    ALLOCATION_LEAD = "anvisningsleder", _("Allocation lead")
    ORGANISATION = "boligorganisation", _("Housing organisation staff")
    STEERING = "styregruppe", _("Steering group")
    ADMIN = "administrator", _("Administrator")


ALL_ROLES: frozenset[str] = frozenset(Role.values)
MUNICIPAL: frozenset[str] = frozenset({Role.CASEWORKER, Role.ALLOCATION_LEAD, Role.ADMIN})
LEAD: frozenset[str] = frozenset({Role.ALLOCATION_LEAD, Role.ADMIN})
ADMIN_ONLY: frozenset[str] = frozenset({Role.ADMIN})
STOCK_READERS: frozenset[str] = ALL_ROLES
STOCK_WRITERS: frozenset[str] = frozenset({Role.ORGANISATION, Role.ADMIN})
#: Organisation staff (and administrators): report vacancies, let, register leases and claims.
REPORTERS: frozenset[str] = frozenset({Role.ORGANISATION, Role.ADMIN})
#: The municipality and the steering group: everyone who reads across organisations (the
#: ledger, reports, proposals; the steering group only aggregates).
OVERSIGHT: frozenset[str] = MUNICIPAL | {Role.STEERING}
#: Who follows a tenancy after move-in: the municipality and the landlord organisation's staff;
#: the same parties read the other rows about one citizen that an organisation takes part in
#: (guarantee claims, håndholdte requests), which the steering group does not.
TENANCY_FOLLOWERS: frozenset[str] = MUNICIPAL | {Role.ORGANISATION}


@dataclass(frozen=True)
class AccessRule:
    """Who may reach a view. `roles is None` means public (also anonymous)."""

    roles: frozenset[str] | None
    deny_status: int = 403

    @property
    def public(self) -> bool:
        return self.roles is None

    def allows(self, user: Any) -> bool:
        if self.roles is None:
            return True
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return user.role in self.roles


def user_has_role(user: Any, roles: Iterable[str]) -> bool:
    """An active, logged-in user with one of the roles (an inactive user has none)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_active", False))
        and user.role in set(roles)
    )


def is_municipal(user: Any) -> bool:
    return user_has_role(user, MUNICIPAL)


def check(request: HttpRequest, rule: AccessRule) -> None:
    """Raise the right response for a request the rule does not allow."""
    if rule.allows(request.user):
        return
    if not request.user.is_authenticated:
        raise _LoginRequired
    if rule.deny_status == 404:
        raise Http404
    raise PermissionDenied


class _LoginRequiredError(Exception):
    pass


_LoginRequired = _LoginRequiredError()


READ = "read"
WRITE = "write"
POST_ONLY: tuple[str, ...] = ("POST",)


def organisation_of(obj: Any) -> int | None:
    """The id of the housing organisation that owns `obj` (None when it has no owner)."""
    queryset = type(obj)._default_manager.all()
    path = getattr(queryset, "org_path", None)
    if path is None:
        return None
    if path == "":
        return int(obj.pk)
    first, _sep, rest = path.partition("__")
    if not rest:
        value = getattr(obj, f"{first}_id", None)
        return int(value) if value is not None else None
    value = type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True).first()
    return int(value) if value is not None else None


def can(user: Any, obj: Any, action: str = READ) -> bool:
    """The object-level rule: may `user` read or write this object?

    Read: the object is in the user's row scope (`OrgScopedQuerySet.restrict`). Write: readable,
    and the user is municipal (the view's role rule says which municipal roles), or organisation
    staff of the organisation that owns the object. The steering group writes nothing.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    queryset = type(obj)._default_manager.all()
    if isinstance(queryset, OrgScopedQuerySet):
        if not queryset.restrict(user).filter(pk=obj.pk).exists():
            return False
    elif not is_municipal(user):
        return False
    if action == READ:
        return True
    if action != WRITE:
        raise ValueError(f"unknown action {action!r}")
    if is_municipal(user):
        return True
    if user_has_role(user, {Role.ORGANISATION}):
        owner = organisation_of(obj)
        return owner is not None and owner in user_organisation_ids(user)
    return False


def _check_object(
    request: HttpRequest, rule: AccessRule, model: Any, action: str, kwargs: dict[str, Any]
) -> None:
    pk = kwargs.get("pk")
    found = model._default_manager.filter(pk=pk).first() if pk is not None else None
    if found is None or not can(request.user, found, action):
        if rule.deny_status == 404 or found is None:
            raise Http404
        raise PermissionDenied


def access_rule(
    roles: Iterable[str | Iterable[str]], *, public: bool, deny_status: int, name: str
) -> AccessRule:
    """The rule a view declares: its roles (names or sets of names, flattened), or public."""
    flat: set[str] = set()
    for item in roles:
        if isinstance(item, str):
            flat.add(item)
        else:
            flat.update(item)
    if not public and not flat:
        raise ValueError(f"{name}() needs at least one role or public=True")
    return AccessRule(roles=None if public else frozenset(flat), deny_status=deny_status)


def access(
    *roles: str | Iterable[str],
    public: bool = False,
    deny_status: int = 403,
    obj: Any = None,
    action: str = READ,
    methods: tuple[str, ...] | None = None,
) -> Callable[[Any], Any]:
    """Declare the access rule of a view (function or class).

    `@access(MUNICIPAL)`, `@access(Role.ADMIN, Role.ALLOCATION_LEAD)`, `@access(public=True)`.
    `deny_status=404` hides the existence of objects from roles that may not see them.
    `obj=Model, action=READ|WRITE`: the URL's `pk` names an object of `Model` that the user must
    be able to read or write (:func:`can`); 404 (or 403) otherwise. `methods=POST_ONLY`: other
    methods get 405, after the access check (so the answer does not reveal a view to a role that
    may not use it).
    """
    rule = access_rule(roles, public=public, deny_status=deny_status, name="access")

    def wrap_function(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            refused = _guard(request, kwargs)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        wrapped.access_object = (obj, action) if obj is not None else None  # type: ignore[attr-defined]
        return wrapped

    def _guard(request: HttpRequest, kwargs: dict[str, Any]) -> Any:
        try:
            check(request, rule)
        except _LoginRequiredError:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if obj is not None:
            _check_object(request, rule, obj, action, kwargs)
        if methods is not None and request.method not in methods:
            from django.http import HttpResponseNotAllowed

            return HttpResponseNotAllowed(list(methods))
        return None

    def decorator(view: Any) -> Any:
        if isinstance(view, type):
            cls: Any = view  # a class-based view: its dispatch is wrapped
            original = cls.dispatch

            def dispatch(self: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                refused = _guard(request, kwargs)
                if refused is not None:
                    return refused
                return original(self, request, *args, **kwargs)

            cls.dispatch = dispatch
            cls.access_rule = rule
            cls.access_object = (obj, action) if obj is not None else None
            return cls
        return wrap_function(view)

    return decorator


def rule_of(callback: Any) -> AccessRule | None:
    """The declared rule of a resolved URL callback, or None."""
    rule = getattr(callback, "access_rule", None)
    if rule is None:
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        rule = getattr(view_class, "access_rule", None)
    return rule


def user_organisation_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_anvis_org_ids", None)
    if cached is None:
        cached = set(user.organisations.values_list("pk", flat=True))
        user._anvis_org_ids = cached
    return set(cached)


def sees_all_organisations(user: Any) -> bool:
    return user_has_role(user, OVERSIGHT)


def sees_exact_counts(user: Any, organisation_id: int | None) -> bool:
    """Whether the user sees exact small counts of citizens (placements per department or
    stairwell, their outcomes) rather than counts under 5 suppressed
    (`anvis_core.reports.table`): municipal roles everywhere, organisation staff for their
    own organisations' departments (their own tenants). The steering group never."""
    if is_municipal(user):
        return True
    return user_has_role(user, {Role.ORGANISATION}) and (
        organisation_id in user_organisation_ids(user)
    )


class OrgScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """A queryset that knows the path from its model to `HousingOrganisation`.

    `restrict(user)`: municipal roles and the steering group see all rows; organisation staff
    see the rows of their own organisations; anyone else sees nothing. A queryset of rows about
    one citizen each (`personal_data = True`, e.g. offers) is not part of the steering group's
    scope: it sees none of them (only aggregates, computed by the municipality's selectors).
    """

    org_path: str = "organisation"
    personal_data: bool = False

    def _scope(self, user: Any) -> str:
        """ "all", "own" (the user's organisations) or "none": the one reading of the row scope."""
        if is_municipal(user):
            return "all"
        if sees_all_organisations(user) and not self.personal_data:
            return "all"
        if user_has_role(user, {Role.ORGANISATION}):
            return "own"
        return "none"

    def restrict(self, user: Any) -> Self:
        scope = self._scope(user)
        if scope == "all":
            return self
        if scope == "own":
            lookup = "pk__in" if self.org_path == "" else f"{self.org_path}__in"
            return self.filter(**{lookup: user_organisation_ids(user)})
        return self.none()

    def holds_organisation(self, user: Any, organisation_id: int) -> bool:
        """Whether `restrict(user)` keeps this model's rows of the organisation (no query): a
        page that shows one organisation's figures asks it before listing the rows one by one."""
        scope = self._scope(user)
        return scope == "all" or (scope == "own" and organisation_id in user_organisation_ids(user))


def can_write_organisation(user: Any, organisation_id: int) -> bool:
    """Organisation staff write their own organisations' data; administrators write all."""
    if user_has_role(user, {Role.ADMIN}):
        return True
    return user_has_role(user, {Role.ORGANISATION}) and organisation_id in user_organisation_ids(
        user
    )


# --- what a user may do with a vacancy: the role and the state machine --------------------------


def _vacancy_may_become(vacancy: Any, target: VacancyState) -> bool:
    return can_transition_vacancy(VacancyState(vacancy.status), target)


def answer_in_time(vacancy: Any, day: dt.date) -> bool:
    """The municipality's answer to a municipal-turn vacancy, an acceptance or a decline, is in
    time through its deadline day (`can_accept_on`); from the day after the vacancy is overdue
    (`is_overdue`) and the expiry job expires it, whether or not the job has run yet. The one
    rule the answer services refuse by and the vacancy page hides its buttons by."""
    return vacancy.status != VacancyState.MUNICIPAL.value or can_accept_on(
        vacancy.response_deadline, day
    )


def _may_answer(user: Any, vacancy: Any, target: VacancyState, day: dt.date) -> bool:
    return (
        user_has_role(user, LEAD)
        and _vacancy_may_become(vacancy, target)
        and answer_in_time(vacancy, day)
    )


def can_answer_vacancy(user: Any, vacancy: Any, day: dt.date, active_offer: Any = None) -> bool:
    """The allocation lead accepts a vacancy the state machine lets become accepted, in time
    (:func:`answer_in_time`), unless an offer is running (its end returns the dwelling, not the
    lead)."""
    return active_offer is None and _may_answer(user, vacancy, VacancyState.ACCEPTED, day)


def can_decline_vacancy(user: Any, vacancy: Any, day: dt.date) -> bool:
    return _may_answer(user, vacancy, VacancyState.DECLINED, day)


def answer_too_late(user: Any, vacancy: Any, day: dt.date) -> bool:
    """The allocation lead would answer the vacancy but its deadline has passed: the page says
    so instead of offering buttons that would be refused."""
    return (
        user_has_role(user, LEAD)
        and _vacancy_may_become(vacancy, VacancyState.DECLINED)
        and not answer_in_time(vacancy, day)
    )


def can_hand_back(user: Any, vacancy: Any) -> bool:
    return user_has_role(user, LEAD) and _vacancy_may_become(vacancy, VacancyState.HANDED_BACK)


def can_offer(user: Any, vacancy: Any) -> bool:
    return is_municipal(user) and _vacancy_may_become(vacancy, VacancyState.OFFERED)


def can_let_ordinary(user: Any, vacancy: Any, active_offer: Any = None) -> bool:
    """The organisation lets through its own list: a vacancy that may become let without an
    offer."""
    return (
        can_write_organisation(user, vacancy.organisation_id)
        and active_offer is None
        and _vacancy_may_become(vacancy, VacancyState.LET)
    )


def can_register_lease(user: Any, vacancy: Any, active_offer: Any) -> bool:
    """The organisation, or the allocation lead on its behalf, registers the lease of an
    accepted offer."""
    return (
        (
            can_write_organisation(user, vacancy.organisation_id)
            or user_has_role(user, {Role.ALLOCATION_LEAD})
        )
        and active_offer is not None
        and active_offer.status == OfferState.ACCEPTED.value
        and _vacancy_may_become(vacancy, VacancyState.LET)
    )


def may_cancel_leases(user: Any, vacancy: Any) -> bool:
    """Who records a lease cancelled before move-in: the allocation lead, or the staff of the
    organisation that owns the dwelling (and administrators)."""
    return can_write_organisation(user, vacancy.organisation_id) or user_has_role(
        user, {Role.ALLOCATION_LEAD}
    )


def can_cancel_lease(user: Any, vacancy: Any, lease: Any, moved_in: bool = False) -> bool:
    """A lease of a municipal offer, not cancelled, whose vacancy it let, and whose tenant has
    not moved in (`moved_in`: `vacancies.services.tenant_moved_in`) may be recorded as
    cancelled before move-in by those :func:`may_cancel_leases`."""
    return (
        lease is not None
        and lease.offer_id is not None
        and lease.cancelled_on is None
        and not moved_in
        and may_cancel_leases(user, vacancy)
        and can_lease_cancel_transition(VacancyState(vacancy.status), VacancyState.ACCEPTED)
    )


def vacancy_actions(
    user: Any, vacancy: Any, active_offer: Any, lease: Any, *, day: dt.date
) -> dict[str, bool]:
    """The vacancy page's buttons on `day`, as named predicates (the same the services are
    guarded by)."""
    org_writer = can_write_organisation(user, vacancy.organisation_id)
    return {
        "can_answer": can_answer_vacancy(user, vacancy, day, active_offer),
        "can_decline": can_decline_vacancy(user, vacancy, day),
        "answer_too_late": answer_too_late(user, vacancy, day),
        "can_offer": can_offer(user, vacancy),
        "can_answer_offer": is_municipal(user) and active_offer is not None,
        "can_reject": org_writer and active_offer is not None,
        "can_lease": can_register_lease(user, vacancy, active_offer),
        "can_let_ordinary": can_let_ordinary(user, vacancy, active_offer),
        "can_claim": org_writer and lease is not None and lease.offer_id is not None,
        "can_decide_claims": user_has_role(user, LEAD),
        "can_hand_back": can_hand_back(user, vacancy),
    }
