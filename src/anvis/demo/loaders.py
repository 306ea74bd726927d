"""The demo loaders in the order they run: each may use what the ones before it made."""

from __future__ import annotations

from collections.abc import Callable

from anvis.demo import (
    accounts,
    agreements,
    cases,
    matching,
    monitoring,
    reports,
    simulation,
    stock,
    tenancy,
    vacancies,
)
from anvis.demo.context import DemoContext

#: (name shown in the log, loader)
LOADERS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("anvis.stock", stock.load),
    ("anvis.accounts", accounts.load),
    ("anvis.agreements", agreements.load),
    ("anvis.monitoring", monitoring.load),
    ("anvis.cases", cases.load),
    ("anvis.vacancies", vacancies.load),
    ("anvis.tenancy", tenancy.load),
    ("anvis.matching", matching.load),
    ("anvis.reports", reports.load),
    ("anvis.simulation", simulation.load),
]
