"""The paired differences' plain sentences on the comparison page."""

from __future__ import annotations

from django.utils import translation

from anvis.simulation.differences import sentence


def test_a_lower_figure_gives_its_interval_as_amounts_lower() -> None:
    """ "177,5 lower (between 171,1 and 183,9)", as docs/simulation.md writes it: the interval
    of a difference said to be lower holds the amounts lower, not "between −183,9 and −171,1"."""
    d = {"mean": -177.5, "ci_low": -183.9, "ci_high": -171.1, "clear": True}
    with translation.override("da"):
        text = sentence("25 %", "50 %", "mean_days_on_list", d)
    assert "177,5 lavere end med „25 %“" in text
    assert "mellem 171,1 og 183,9" in text
    assert "-" not in text and "−" not in text


def test_a_higher_figure_keeps_its_interval() -> None:
    d = {"mean": 41.2, "ci_low": 35.0, "ci_high": 47.5, "clear": True}
    with translation.override("da"):
        text = sentence("25 %", "50 %", "mean_days_on_list", d)
    assert "41,2 højere end med „25 %“ (95 % sikkerhed: mellem 35,0 og 47,5)" in text


def test_an_unclear_difference_keeps_its_signed_interval() -> None:
    d = {"mean": -1.0, "ci_low": -3.0, "ci_high": 1.0, "clear": False}
    with translation.override("da"):
        text = sentence("25 %", "50 %", "mean_days_on_list", d)
    assert "ikke skelnes" in text or "ingen sikker forskel" in text
    assert "mellem -3,0 og 1,0" in text or "mellem −3,0 og 1,0" in text
