"""Operations pages for the administrator: the background tasks (queued, running, failed with
the error, done), the workers and the schedule; and the outbox of e-mails in the demo."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anvis.common.lists import paginate
from anvis.permissions import ADMIN_ONLY, access

from . import selectors
from .models import OutboxMessage


@access(ADMIN_ONLY)
def task_list(request: HttpRequest) -> HttpResponse:
    param = request.GET.get("status", "")
    status = selectors.STATUS_PARAMS.get(param)
    page, query = paginate(request, selectors.task_rows(status=status), per_page=50)
    return render(
        request,
        "background/task_list.html",
        {
            "tab": "tasks",
            "rows": selectors.decorate(page.object_list),
            "page": page,
            "query": query,
            "counts": selectors.status_counts(),
            "current": param if status else "",
            "workers": selectors.workers(),
            "schedule": selectors.schedule_rows(),
        },
    )


@access(ADMIN_ONLY)
def outbox(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, OutboxMessage.objects.all(), per_page=25)
    return render(
        request, "background/outbox.html", {"tab": "outbox", "page": page, "query": query}
    )
