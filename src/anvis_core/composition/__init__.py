"""Composition monitoring: indicators, the legal area criteria, step proposals, twins and
placement windows. Pure Python (and numpy); no Django."""

from .criteria import (
    FOREBYGGELSE_CRITERIA,
    UDSAT_CRITERIA,
    Assessment,
    Reason,
    Status,
    WarningMargins,
    assess,
)
from .indicators import (
    INDICATOR_FIELDS,
    MIN_HOUSEHOLDS,
    MIN_RESIDENTS,
    IndicatorValues,
    is_suppressed,
    latest_list_year,
    latest_usable_year,
    two_year_average,
)
from .placements import (
    WINDOWS,
    add_months,
    count_in_window,
    estimated_lettings,
    in_window,
    share_percent,
    window_start,
)
from .proposals import StepProposal, StepShares, StrongLimits, is_strong, propose_step
from .twins import (
    FEATURE_NAMES,
    Deviation,
    StructuralFeatures,
    Twin,
    deviation_from_twins,
    find_twins,
    standardise,
)

__all__ = [
    "FEATURE_NAMES",
    "FOREBYGGELSE_CRITERIA",
    "INDICATOR_FIELDS",
    "MIN_HOUSEHOLDS",
    "MIN_RESIDENTS",
    "UDSAT_CRITERIA",
    "WINDOWS",
    "Assessment",
    "Deviation",
    "IndicatorValues",
    "Reason",
    "Status",
    "StepProposal",
    "StepShares",
    "StrongLimits",
    "StructuralFeatures",
    "Twin",
    "WarningMargins",
    "add_months",
    "assess",
    "count_in_window",
    "deviation_from_twins",
    "estimated_lettings",
    "find_twins",
    "in_window",
    "is_strong",
    "is_suppressed",
    "latest_list_year",
    "latest_usable_year",
    "propose_step",
    "share_percent",
    "standardise",
    "two_year_average",
    "window_start",
]
