from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from anvis.common.clock import local_today
from anvis.common.nav import items_for, waiting_for
from anvis.permissions import ALL_ROLES, access


@access(ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """The user's day: what waits on the work lists their role may open (each counted by the
    list's own selector), then every page they may use."""
    items = [item for item in items_for(request.user) if item["name"] != "common:home"]
    return render(
        request,
        "common/home.html",
        {"shortcuts": items, "waiting": waiting_for(items, request.user, local_today())},
    )


@access(public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and the admin pages ask for /favicon.ico; the site's icon is an SVG."""
    return redirect(static("anvis/favicon.svg"))


@access(public=True)
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database readiness for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
