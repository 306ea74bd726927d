"""The project's access rules (`anvis.permissions`) applied after DRF authentication.

`@access` from `anvis.permissions` checks the session user before DRF has authenticated a bearer
token, so API views declare their rule with :func:`api_access` instead: the same
`AccessRule`, stored as `access_rule` on the view (the access-rule test sees it) and enforced by
:class:`AccessRulePermission` once the token or the session has given the user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rest_framework import exceptions, permissions

from anvis.permissions import READ, WRITE, AccessRule, access_rule, can


def api_access(
    *roles: str | Iterable[str], public: bool = False, deny_status: int = 403
) -> Callable[[Any], Any]:
    rule = access_rule(roles, public=public, deny_status=deny_status, name="api_access")

    def decorator(view: Any) -> Any:
        view.access_rule = rule
        return view

    return decorator


class AccessRulePermission(permissions.BasePermission):
    """The view's role rule, and for one object (`get_object`, `check_object_permissions`) the
    object rule `anvis.permissions.can`: read for safe methods, write for the others."""

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        action = READ if request.method in permissions.SAFE_METHODS else WRITE
        if can(request.user, obj, action):
            return True
        raise exceptions.NotFound()

    def has_permission(self, request: Any, view: Any) -> bool:
        rule: AccessRule | None = getattr(view, "access_rule", None)
        if rule is None:
            return False
        if rule.allows(request.user):
            return True
        if not getattr(request.user, "is_authenticated", False):
            raise exceptions.NotAuthenticated()
        if rule.deny_status == 404:
            raise exceptions.NotFound()
        raise exceptions.PermissionDenied()
