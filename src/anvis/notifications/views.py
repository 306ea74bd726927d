from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from anvis.common.forms import form_page, posted
from anvis.common.lists import paginate
from anvis.permissions import ALL_ROLES, POST_ONLY, access

from . import selectors, services
from .forms import PreferencesForm


@access(ALL_ROLES)
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("vis") == "ulaeste"
    qs = selectors.notification_list(user=request.user, unread_only=unread_only)
    page, query = paginate(request, qs)
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "query": query, "unread_only": unread_only},
    )


@access(ALL_ROLES, deny_status=404)
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@access(ALL_ROLES, deny_status=404, methods=POST_ONLY)
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("notifications:inbox")


@access(ALL_ROLES, methods=POST_ONLY)
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)s notification(s) marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@access(ALL_ROLES)
def preferences(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PreferencesForm(
            posted(request), initial={"notification_mode": request.user.notification_mode}
        ),
        lambda cd: services.notification_mode_set(actor=request.user, mode=cd["notification_mode"]),
        success=_("Your choice is saved."),
        done="notifications:preferences",
        template="notifications/preferences.html",
    )
