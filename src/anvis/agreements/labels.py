"""Translatable explanations for turn decisions. The core returns reason codes and parameters;
the text a user reads is chosen here, through gettext."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from anvis.common import formats as fmt
from anvis.stock.models import DwellingType
from anvis_core.quotas import LedgerStatus, turns_until_next


def ceiling_text(p: dict[str, Any]) -> str:
    """The rent-ceiling judgement (`anvis_core.rent_ceiling`) in words."""
    values = {k: p.get(k, "") for k in ("rent", "net", "aconto", "ceiling")}
    gross = p.get("basis") == "gross"
    below = p.get("comparison") == "below"
    within = p.get("within")
    if within is None:
        within = (
            int(values["rent"]) < int(values["ceiling"])
            if below
            else int(values["rent"]) <= int(values["ceiling"])
        )
    # Kroner with the thousands separator, as the money pages write them.
    values = {k: fmt.number(v, 0) if isinstance(v, int | float) else v for k, v in values.items()}
    if within:
        if gross:
            text = (
                _(
                    "The gross rent of %(rent)s kr (rent %(net)s kr + a conto %(aconto)s kr) is "
                    "below the ceiling of %(ceiling)s kr."
                )
                if below
                else _(
                    "The gross rent of %(rent)s kr (rent %(net)s kr + a conto %(aconto)s kr) is "
                    "at most the ceiling of %(ceiling)s kr."
                )
            )
        else:
            text = (
                _("The net rent of %(rent)s kr is below the ceiling of %(ceiling)s kr.")
                if below
                else _("The net rent of %(rent)s kr is at most the ceiling of %(ceiling)s kr.")
            )
        return text % values
    if gross:
        text = (
            _(
                "Not eligible: the gross rent of %(rent)s kr (rent %(net)s kr + a conto "
                "%(aconto)s kr) is not below the ceiling of %(ceiling)s kr."
            )
            if below
            else _(
                "Not eligible: the gross rent of %(rent)s kr (rent %(net)s kr + a conto "
                "%(aconto)s kr) is over the ceiling of %(ceiling)s kr."
            )
        )
    elif below:
        text = _(
            "Not eligible: the net rent of %(rent)s kr is not below the ceiling of %(ceiling)s kr."
        )
    else:
        text = _("Not eligible: rent %(rent)s kr is over the ceiling %(ceiling)s kr.")
    return text % values


def explain(code: str, params: dict[str, Any]) -> str:
    text = _explain(code, params)
    ceiling = params.get("ceiling") if code != "not_eligible" else None
    if isinstance(ceiling, dict):
        return f"{text} {ceiling_text(ceiling)}"
    return text


def _explain(code: str, params: dict[str, Any]) -> str:
    p = dict(params)
    if code == "municipal_turn":
        return (
            _(
                "Municipal turn: %(municipal)s of the %(eligible)s eligible vacancies "
                "in this step of the organisation have gone to the municipality, "
                "share %(share_percent)s %%."
            )
            % p
        )
    if code == "ordinary_turn":
        return (
            _(
                "Ordinary letting: %(municipal)s of the %(eligible)s eligible vacancies "
                "in this step of the organisation have gone to the municipality, "
                "share %(share_percent)s %%."
            )
            % p
        )
    if code == "share_zero":
        return _("Ordinary letting: the department's step has a municipal share of 0 %.")
    if code == "not_eligible":
        parts = [explain(r["code"], r["params"]) for r in p.get("reasons", [])]
        return " ".join(parts) or _("Not eligible.")
    if code == "rent_over_ceiling":
        return ceiling_text({**p, "within": False})
    if code == "type_not_covered":
        label = dict(DwellingType.choices).get(p.get("dwelling_type", ""), p.get("dwelling_type"))
        return _("Not eligible: the agreement does not cover the dwelling type %(type)s.") % {
            "type": str(label).lower()
        }
    if code == "unusable":
        parts = [explain(r["code"], r["params"]) for r in p.get("reasons", [])]
        return _(
            "Not a municipal turn: the municipality cannot use the dwelling on the report day. "
            "%(why)s The next usable vacancy takes the turn."
        ) % {"why": " ".join(parts)}
    if code == "department_closed":
        return _("The department is closed to municipal placements by composition monitoring.")
    if code == "cap_reached":
        values = {"placed": p.get("placed", ""), "max": p.get("max", "")}
        if p.get("level") == "entrance":
            return (
                _("The stairwell has reached its cap: %(placed)s of %(max)s placements.") % values
            )
        return _("The department has reached its cap: %(placed)s of %(max)s placements.") % values
    if code == "no_agreement":
        return _("No allocation agreement covers this dwelling on the report date.")
    return code


# --- whose turn, in words a person understands --------------------------------------------------

KIND_LABELS = {
    "municipal": gettext_lazy("Municipal turn"),
    "ordinary": gettext_lazy("Ordinary letting"),
    "extra": gettext_lazy("Extra (not the municipality's turn)"),
    "blocked": gettext_lazy("Closed or cap reached"),
    "handed_back": gettext_lazy("Handed back"),
    "not_eligible": gettext_lazy("Not covered by the agreement"),
}
"""The one name of each kind of turn: the vacancy page, its status, the ledger and the API."""

NOT_ELIGIBLE_CODES = frozenset(
    {"not_eligible", "rent_over_ceiling", "type_not_covered", "no_agreement"}
)
ROUNDING = Fraction(1, 1000)
"""The stored credit and share are percent texts rounded to 0.1 point."""


@dataclass(frozen=True)
class WhoseTurn:
    """Whose turn a vacancy was: what happened, why, what comes next and whether the
    municipality is owed a turn. One text for the vacancy page, the ledger and the API."""

    kind: str
    happened: str
    why: str
    next: str
    owed: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.happened, self.why, self.next, self.owed) if part)

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "label": self.label,
            "happened": self.happened,
            "why": self.why,
            "next": self.next,
            "owed": self.owed,
            "text": self.text,
        }


def _fraction(percent_text: Any) -> Fraction | None:
    try:
        return Fraction(Decimal(str(percent_text))) / 100
    except (InvalidOperation, ValueError):
        return None


def next_turn_text(params: dict[str, Any]) -> str:
    """When the next municipal turn is expected in this step, from the counter after the
    vacancy ("ved den 3. egnede ledighed herfra")."""
    share = _fraction(params.get("share_percent"))
    credit = _fraction(params.get("credit"))
    if share is None or credit is None:
        return ""
    k = turns_until_next(credit, share, ROUNDING)
    if k is None:
        return _("No municipal turn comes in this step while its share is 0 %.")
    if k == 1:
        return _("The next municipal turn is expected at the next eligible vacancy.")
    return _("The next municipal turn is expected at the %(n)s. eligible vacancy from here.") % {
        "n": k
    }


def _counts(p: dict[str, Any]) -> str:
    return (
        _(
            "The step's municipal share is %(share_percent)s %%; with this vacancy %(municipal)s "
            "of the %(eligible)s eligible vacancies in the step have gone to the municipality."
        )
        % p
    )


def _owed(p: dict[str, Any]) -> str:
    credit = _fraction(p.get("credit"))
    if credit is None or credit <= 0:
        return _("The municipality is not owed a turn: it has had its share.")
    return _(
        "The municipality is not owed a whole turn; it has earned %(credit)s %% of the next one."
    ) % {"credit": p.get("credit")}


def _handed_back(p: dict[str, Any], *, municipal: bool) -> WhoseTurn:
    return WhoseTurn(
        "handed_back",
        _(
            "The municipality accepted the dwelling and then handed it back to the "
            "organisation, which lets it from its own waiting list."
        ),
        _counts(p),
        next_turn_text(p),
        _(
            "The agreement does not count a dwelling handed back as delivered, so the ledger "
            "counts the municipality as owed this turn."
        )
        if municipal
        else _owed(p),
    )


def whose_turn(
    code: str,
    params: dict[str, Any],
    *,
    municipal: bool,
    outcome: str = "",
    voluntary: bool = False,
    handed_back: bool = False,
) -> WhoseTurn:
    """Whose turn a judged vacancy was, from its turn record (reason code and params, the
    municipal flag, the ledger outcome, whether the municipality handed it back uncounted) and
    whether the organisation offered it voluntarily (or as an answer to a håndholdt request)."""
    p = dict(params)
    if code in NOT_ELIGIBLE_CODES:
        return WhoseTurn(
            "not_eligible",
            _("The agreement does not cover this vacancy."),
            explain(code, p),
            _("It does not count in the turns."),
            "",
        )
    if code == "unusable" or outcome == "blocked":
        return WhoseTurn(
            "blocked",
            _("The municipality could not use the dwelling on the report day."),
            explain(code, p),
            _("The next usable vacancy in the step takes the turn."),
            _("The municipality keeps the turn it is owed."),
        )
    if code == "share_zero":
        return WhoseTurn(
            "extra" if voluntary or outcome == "accepted" else "ordinary",
            _("Ordinary letting from the organisation's waiting list."),
            _("The department's step has a municipal share of 0 %."),
            next_turn_text(p),
            "",
        )
    if handed_back:
        return _handed_back(p, municipal=municipal)
    if municipal:
        withdrawn = outcome == "ordinary"
        return WhoseTurn(
            "municipal",
            _("The municipality's turn: the dwelling is put at the municipality's disposal."),
            _counts(p),
            next_turn_text(p),
            _(
                "The organisation let the dwelling itself, so the ledger counts the municipality "
                "as owed this turn."
            )
            if withdrawn
            else _owed(p),
        )
    if voluntary or outcome == "accepted":
        happened = (
            _(
                "Extra: the organisation put the dwelling at the municipality's disposal although "
                "it was not the municipality's turn."
            )
            if voluntary
            else _("Extra: the municipality took a dwelling that was ordinary letting.")
        )
        return WhoseTurn(
            "extra",
            happened,
            _counts(p) + " " + _("If the municipality takes it, it counts as delivered (extra)."),
            next_turn_text(p),
            _owed(p),
        )
    return WhoseTurn(
        "ordinary",
        _("Ordinary letting: the organisation lets the dwelling from its own waiting list."),
        _counts(p),
        next_turn_text(p),
        _owed(p),
    )


def record_turn(record: Any, *, source: str = "") -> WhoseTurn:
    """:func:`whose_turn` for a stored turn record (``agreements.TurnRecord``) and the
    vacancy's source (``voluntary`` and ``handheld`` go to the municipality whatever the
    turn)."""
    return whose_turn(
        record.reason_code,
        record.reason_params,
        municipal=record.municipal,
        outcome=record.outcome,
        voluntary=source in ("voluntary", "handheld"),
        handed_back=record.handed_back,
    )


STATUS_LABELS = {
    LedgerStatus.GREEN: gettext_noop("On share"),
    LedgerStatus.YELLOW: gettext_noop("Behind"),
    LedgerStatus.RED: gettext_noop("Far behind"),
    LedgerStatus.GREY: gettext_noop("No figures"),
}
"""A ledger line's status as the page, its downloads and the report say it."""
