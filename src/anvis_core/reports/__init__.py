"""The steering group's quarterly report: a pure function of a data snapshot.

`build_report(snapshot) -> Report`, `suppressed_report(report)` for everything that leaves the
municipality's own roles, `snapshot_hash(snapshot)` for the frozen copy a meeting saw,
`organisation_figures(snapshot)` for every organisation's own rows of the report's tables of
organisations (the report itself shows the largest by name and adds up the rest).
"""

from .figures import (
    OrganisationFigures,
    Report,
    Section,
    build_report,
    organisation_figures,
    suppressed_report,
)
from .snapshot import SNAPSHOT_FORMAT, canonical_json, quarters_for, snapshot_hash
from .table import SUPPRESSED_TEXT, Cell, Chart, Kind, Table, format_cell, numeric, suppress

__all__ = [
    "SNAPSHOT_FORMAT",
    "SUPPRESSED_TEXT",
    "Cell",
    "Chart",
    "Kind",
    "OrganisationFigures",
    "Report",
    "Section",
    "Table",
    "build_report",
    "canonical_json",
    "format_cell",
    "numeric",
    "organisation_figures",
    "quarters_for",
    "snapshot_hash",
    "suppress",
    "suppressed_report",
]
