"""Installation settings for monitoring, read from `settings.ANVIS_MONITORING` (a dict).

Keys (all optional): `warning_margins`, `step_shares`, `strong_limits` (dicts of field name →
number as a string, see `anvis_core.composition`), `twins_k` (int, default 5).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from anvis_core.composition import ETHNIC_INDICATORS, StepShares, StrongLimits, WarningMargins

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonitoringConfig:
    margins: WarningMargins
    shares: StepShares
    strong: StrongLimits
    twins_k: int


def _decimals(values: dict[str, Any] | None) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in (values or {}).items()}


def _margins(values: dict[str, Any] | None) -> dict[str, Decimal]:
    """The margins, without any for an ethnic indicator: no judgement of Anvis's own uses one,
    so an old setting (`non_western`) is ignored with a warning instead of failing."""
    out = _decimals(values)
    for name in ETHNIC_INDICATORS & set(out):
        logger.warning("ANVIS_MONITORING warning_margins[%r] is ignored: not a criterion", name)
        del out[name]
    return out


def monitoring_config() -> MonitoringConfig:
    raw: dict[str, Any] = getattr(settings, "ANVIS_MONITORING", {}) or {}
    return MonitoringConfig(
        margins=WarningMargins(**_margins(raw.get("warning_margins"))),
        shares=StepShares(**_decimals(raw.get("step_shares"))),
        strong=StrongLimits(**_decimals(raw.get("strong_limits"))),
        twins_k=int(raw.get("twins_k", 5)),
    )
