"""Whose turn a vacancy was and its status, in the one vocabulary of
`anvis.agreements.labels`: a voluntary offer on an ordinary turn is "ekstra" in its status, its
whose-turn text, the ledger and the API alike. Pages (the ``vacancy_turns`` filters) and the API
call these."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anvis.agreements.labels import WhoseTurn, record_turn

from .choices import VacancyStatus


def vacancy_turn(vacancy: Any) -> WhoseTurn | None:
    """Whose turn ``vacancy`` was (``None`` when no agreement covered it)."""
    record = getattr(vacancy, "turn_record", None)
    return record_turn(record, source=vacancy.source) if record is not None else None


def status_label(vacancy: Any) -> str:
    """The vacancy's status; one awaiting the municipality that was not its turn says so."""
    if vacancy.status == VacancyStatus.MUNICIPAL:
        turn = vacancy_turn(vacancy)
        if turn is not None and turn.kind == "extra":
            return _("Extra, awaiting the municipality's answer")
    return str(vacancy.get_status_display())
