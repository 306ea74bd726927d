"""Navigation registry. Each app may have a `nav.py` with `ITEMS: list[NavItem]`; the base
layout shows a user the items their role may use (the view's own access rule decides)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anvis.permissions import rule_of


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int = 100


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
            visible.append({"label": item.label, "url": url, "name": item.url_name})
    return visible
