"""Template filters for `anvis.vacancies.turns`: ``{{ vacancy|whose_turn }}`` and
``{{ vacancy|status_label }}``."""

from __future__ import annotations

from typing import Any

from django import template

from anvis.agreements.labels import WhoseTurn

from .. import turns

register = template.Library()


@register.filter
def whose_turn(vacancy: Any) -> WhoseTurn | None:
    return turns.vacancy_turn(vacancy)


@register.filter
def status_label(vacancy: Any) -> str:
    return turns.status_label(vacancy)
