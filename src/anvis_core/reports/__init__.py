"""The steering group's quarterly report: a pure function of a data snapshot.

`build_report(snapshot) -> Report`, `suppressed_report(report)` for everything that leaves the
municipality's own roles, `snapshot_hash(snapshot)` for the frozen copy a meeting saw.
"""

from .figures import Report, Section, build_report, suppressed_report
from .snapshot import SNAPSHOT_FORMAT, canonical_json, quarters_for, snapshot_hash
from .table import SUPPRESSED_TEXT, Cell, Chart, Kind, Table, format_cell, numeric, suppress

__all__ = [
    "SNAPSHOT_FORMAT",
    "SUPPRESSED_TEXT",
    "Cell",
    "Chart",
    "Kind",
    "Report",
    "Section",
    "Table",
    "build_report",
    "canonical_json",
    "format_cell",
    "numeric",
    "quarters_for",
    "snapshot_hash",
    "suppress",
    "suppressed_report",
]
