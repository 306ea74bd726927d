"""Whose turn is it: the municipal share of eligible vacancies, and the fair-share ledger."""

from .turns import TurnDecision, TurnState, decide_turn, share_from_percent

__all__ = ["TurnDecision", "TurnState", "decide_turn", "share_from_percent"]
