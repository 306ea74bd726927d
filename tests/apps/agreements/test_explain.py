"""Whose turn, in words: what happened, why, what comes next and whether the municipality is
owed a turn (`anvis.agreements.labels.whose_turn`)."""

from __future__ import annotations

from django.utils import translation

from anvis.agreements.labels import whose_turn


def _turn(code: str, municipal: bool, **kw: object):  # type: ignore[no-untyped-def]
    params = {"municipal": 27, "eligible": 69, "share_percent": "40", "credit": "60"}
    with translation.override("da"):
        turn = whose_turn(code, params, municipal=municipal, **kw)  # type: ignore[arg-type]
        return turn, turn.label, turn.text


def test_an_ordinary_turn_says_when_the_next_municipal_turn_comes() -> None:
    turn, label, text = _turn("ordinary_turn", False)
    assert turn.kind == "ordinary" and label == "Almindelig udlejning"
    assert "27 af trinnets 69 egnede ledigheder" in text and "andel er 40 %" in text
    # credit 60 % + 40 % per eligible vacancy: the next one is the municipality's.
    assert turn.next == "Næste kommunale tur forventes ved den næste egnede ledighed."
    assert "optjent 60 % af den næste" in turn.owed


def test_the_next_turn_counts_eligible_vacancies_from_here() -> None:
    with translation.override("da"):
        turn = whose_turn(
            "municipal_turn",
            {"municipal": 28, "eligible": 70, "share_percent": "40", "credit": "0"},
            municipal=True,
        )
    assert turn.kind == "municipal"
    assert turn.next == "Næste kommunale tur forventes ved den 3. egnede ledighed herfra."
    assert turn.owed == "Kommunen har ikke en tur til gode: den har fået sin andel."


def test_a_voluntary_offer_on_an_ordinary_turn_is_extra() -> None:
    turn, label, text = _turn("ordinary_turn", False, voluntary=True)
    assert turn.kind == "extra" and label == "Ekstra (ikke kommunens tur)"
    assert text.startswith("Ekstra: organisationen stillede boligen til rådighed")
    taken, _, taken_text = _turn("ordinary_turn", False, outcome="accepted")
    assert taken.kind == "extra" and "kommunen tog en bolig" in taken_text


def test_a_municipal_turn_the_organisation_let_itself_is_owed() -> None:
    turn, _, _ = _turn("municipal_turn", True, outcome="ordinary")
    assert turn.kind == "municipal"
    assert "til gode" in turn.owed and "udlejede selv" in turn.owed


def test_no_turn_at_share_zero_and_none_for_an_uncovered_vacancy() -> None:
    with translation.override("da"):
        zero = whose_turn(
            "share_zero",
            {"municipal": 0, "eligible": 3, "share_percent": "0", "credit": "0"},
            municipal=False,
        )
        uncovered = whose_turn("no_agreement", {}, municipal=False)
    assert "ingen kommunal tur" in zero.next
    assert uncovered.kind == "not_eligible" and uncovered.next == "Den tæller ikke med i turene."
