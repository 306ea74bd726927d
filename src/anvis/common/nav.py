"""Navigation registry. Each app may have a `nav.py` with `ITEMS: list[NavItem]`; the base
layout shows a user the items their role may use (the view's own access rule decides).

An item whose list page holds work for its reader (vacancies awaiting an answer, homes at risk)
declares it as a `WorkList` of the item: the overview says how much waits there, counted by the
selector or filterset the page lists with, and shows it only to the users the page's own access
rule lets in. A filtered view of the page that holds one role's work (a housing organisation's
leases to register) is a `WorkList` with a query, its roles and its own label: the card links to
the page with that query and is shown only to those roles among the users the page lets in."""

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
    """Work that waits on an item's list page: what waits there (`waiting`, read by the page's
    own selector or filterset) and the overview's sentences for it (lazy plural texts with a
    ``%(count)s``: ngettext_lazy(singular, plural, "count")). A filtered view of the page that
    holds only some roles' work names its `query` (the page's own query string, e.g.
    ``status=ordinary``), its `roles` and its own `label`; otherwise the card is the page
    itself, for everyone the page's access rule lets in."""

    waiting: Callable[[Any, dt.date], Waiting]
    waiting_label: str | Promise
    urgent_label: str | Promise = ""
    label: str | Promise | None = None
    query: str = ""
    roles: frozenset[str] | None = None


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int = 100
    #: The work that waits on the item's page (`WorkList`), shown on the overview.
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


def waiting_for(
    shown_items: list[dict[str, Any]], user: Any, today: dt.date
) -> list[dict[str, Any]]:
    """Of the items `user` is shown (`items_for`), the work lists for the user's role, each with
    what waits there today in words."""
    out = []
    for shown in shown_items:
        item: NavItem = shown["item"]
        for work in item.work_lists:
            if work.roles is not None and not user_has_role(user, work.roles):
                continue
            waiting = work.waiting(user, today)
            out.append(
                {
                    **shown,
                    "label": work.label or shown["label"],
                    "url": f"{shown['url']}?{work.query}" if work.query else shown["url"],
                    "waiting": waiting,
                    "text": work.waiting_label % {"count": waiting.count},
                    "urgent": (
                        work.urgent_label % {"count": waiting.urgent} if waiting.urgent else ""
                    ),
                }
            )
    return out
