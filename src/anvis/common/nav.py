"""Navigation registry. Each app may have a `nav.py` with `ITEMS: list[NavItem]`; the base
layout shows a user the items their role may use (the view's own access rule decides).

An item whose list page holds work for its reader (vacancies awaiting an answer, homes at risk)
also says how much waits there (`waiting`): the overview page shows it to the users the page's
own access rule lets in, counted by the same selector the page lists with."""

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

from anvis.permissions import rule_of


@dataclass(frozen=True)
class Waiting:
    """How many rows of a list page wait for its reader, and how many of them are urgent."""

    count: int
    urgent: int = 0


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
    """Of the items `user` is shown (`items_for`), the work lists, each with what waits there
    today in words."""
    out = []
    for shown in shown_items:
        item: NavItem = shown["item"]
        if item.waiting is None:
            continue
        waiting = item.waiting(user, today)
        out.append(
            {
                **shown,
                "waiting": waiting,
                "text": item.waiting_label % {"count": waiting.count},
                "urgent": item.urgent_label % {"count": waiting.urgent} if waiting.urgent else "",
            }
        )
    return out
