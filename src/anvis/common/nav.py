"""Navigation registry. Each app may have a `nav.py` with `ITEMS: list[NavItem]`; the base
layout shows a user the items their role may use (the view's own access rule decides).

An item whose list page holds work for its reader (vacancies awaiting an answer, homes at risk)
also says how much waits there (`waiting`): the overview page shows it to the users the page's
own access rule lets in, counted by the same selector the page lists with. A list page whose
filtered view holds one role's work (a housing organisation's leases to register) declares it
as a `WorkList` of the item: the card links to the page with that query, is shown only to the
work list's roles among those the page lets in, and is counted as the page lists that query."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anvis.permissions import rule_of, user_has_role


@dataclass(frozen=True)
class Waiting:
    """How many rows of a list page wait for its reader, and how many of them are urgent."""

    count: int
    urgent: int = 0


@dataclass(frozen=True)
class WorkList:
    """A filtered view of an item's list page that holds the work of some roles: `query` (the
    page's own query string, e.g. ``status=ordinary``) and what waits there, read by the page's
    own selector for that query."""

    label: str | Promise
    query: str
    roles: frozenset[str]
    waiting: Callable[[Any, dt.date], Waiting]
    waiting_label: str | Promise
    urgent_label: str | Promise = ""


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int = 100
    #: For a work list: (user, today) -> what waits there, read by the page's own selector.
    waiting: Callable[[Any, dt.date], Waiting] | None = None
    #: The overview's sentences for the count and the urgent ones: lazy plural texts with a
    #: ``%(count)s`` (ngettext_lazy(singular, plural, "count")).
    waiting_label: str | Promise = ""
    urgent_label: str | Promise = ""
    #: Filtered views of the list page that hold some roles' work (`WorkList`).
    work_lists: tuple[WorkList, ...] = ()


ITEMS = [NavItem(_("Overview"), "common:home", order=0)]


@cache
def all_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("anvis."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.nav")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "ITEMS", []))
    return tuple(sorted(items, key=lambda item: item.order))


def items_for(user: Any) -> list[dict[str, Any]]:
    visible = []
    for item in all_items():
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        rule = rule_of(resolve(url).func)
        if rule is not None and rule.allows(user):
            visible.append({"label": item.label, "url": url, "name": item.url_name, "item": item})
    return visible


def _card(
    shown: dict[str, Any], waiting: Waiting, waiting_label: Any, urgent_label: Any
) -> dict[str, Any]:
    return {
        **shown,
        "waiting": waiting,
        "text": waiting_label % {"count": waiting.count},
        "urgent": urgent_label % {"count": waiting.urgent} if waiting.urgent else "",
    }


def waiting_for(
    shown_items: list[dict[str, Any]], user: Any, today: dt.date
) -> list[dict[str, Any]]:
    """Of the items `user` is shown (`items_for`), the work lists, each with what waits there
    today in words: the item's own, then its filtered views for the user's role."""
    out = []
    for shown in shown_items:
        item: NavItem = shown["item"]
        if item.waiting is not None:
            waiting = item.waiting(user, today)
            out.append(_card(shown, waiting, item.waiting_label, item.urgent_label))
        for work in item.work_lists:
            if not user_has_role(user, work.roles):
                continue
            view = {**shown, "label": work.label, "url": f"{shown['url']}?{work.query}"}
            out.append(
                _card(view, work.waiting(user, today), work.waiting_label, work.urgent_label)
            )
    return out
