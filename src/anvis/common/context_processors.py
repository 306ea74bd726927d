from typing import Any

from django.http import HttpRequest

from .nav import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = items_for(user)
    exact = any(item["name"] == current for item in items)
    marked_namespace = False
    for item in items:
        same_namespace = current.split(":")[0] == item["name"].split(":")[0]
        if item["name"] == current:
            item["current"] = True
        elif (
            not exact and same_namespace and not marked_namespace and item["name"] != "common:home"
        ):
            item["current"] = True
            marked_namespace = True
        else:
            item["current"] = False
    return {"nav_items": items}
