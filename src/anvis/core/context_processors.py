from typing import Any

from django.http import HttpRequest

from .nav import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = items_for(user)
    for item in items:
        item["current"] = item["name"] == current or (
            current.split(":")[0] == item["name"].split(":")[0] and item["name"] != "core:home"
        )
    return {"nav_items": items}
