"""The report pack: the PDF (WeasyPrint) and the XLSX workbook (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from anvis.common import formats
from anvis.common.tabular import xlsx_text
from anvis_core.reports import Report

from .labels import meetings_shown, present, quarter_label

# WeasyPrint logs every layout step at INFO; keep the log for problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def report_context(report: Report, *, suppressed: bool, sha256: str = "") -> dict[str, Any]:
    return {
        "report": report,
        "quarter_label": quarter_label(report.quarter),
        "sections": present(report, suppressed=suppressed),
        "meetings": meetings_shown(report),
        "suppressed": suppressed,
        "sha256": sha256,
    }


def render_pdf(report: Report, *, suppressed: bool, sha256: str = "") -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        report_context(report, suppressed=suppressed, sha256=sha256),
    )
    return bytes(HTML(string=html).write_pdf())


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([xlsx_text(value) for value in values])


def render_xlsx(
    report: Report, *, suppressed: bool, sha256: str = "", created: dt.datetime | None = None
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    info = wb.active
    info.title = _("Report")[:31]
    _append(info, [_("Quarterly report for the steering group")])
    info["A1"].font = Font(bold=True, size=14)
    _append(info, [_("Quarter"), quarter_label(report.quarter)])
    _append(info, [_("Figures as of"), formats.date(report.as_of)])
    _append(info, [_("Agreement"), report.agreement])
    if sha256:
        _append(info, [_("SHA-256 of the inputs"), sha256])
    if suppressed:
        _append(info, [_("Counts under 5 are shown as “<5” (steering group edition).")])
    used: set[str] = {info.title}
    for section in present(report, suppressed=suppressed, charts=False):
        for table in section.tables:
            name = _sheet_name(table.title, used)
            ws = wb.create_sheet(name)
            _append(ws, [table.title])
            ws["A1"].font = Font(bold=True)
            _append(ws, table.columns)
            for cell in ws[2]:
                cell.font = Font(bold=True)
            for row in table.raw_rows:
                _append(ws, row)
            if table.note:
                _append(ws, [])
                _append(ws, [table.note])
            for column in ws.columns:
                width = max(len(str(c.value or "")) for c in column[1:]) if ws.max_row > 1 else 10
                ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
    if report.meetings:
        ws = wb.create_sheet(_sheet_name(_("Meetings and decisions"), used))
        _append(
            ws,
            [
                _("Forum"),
                _("Date"),
                _("Decision"),
                _("Follow-up"),
                _("Responsible"),
                _("Due date"),
                _("Status"),
            ],
        )
        for m in meetings_shown(report):
            for dec in m["decisions"] or [{}]:
                _append(
                    ws,
                    [
                        m["forum"],
                        m["held_on"],
                        dec.get("text", ""),
                        dec.get("follow_up", ""),
                        dec.get("responsible", ""),
                        dec.get("due_on") or "",
                        dec.get("status_label", ""),
                    ],
                )
    stamp = created or dt.datetime.combine(report.as_of, dt.time())
    wb.properties.created = stamp.replace(tzinfo=None)
    wb.properties.modified = stamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28]
    name = base
    i = 2
    while name in used:
        name = f"{base[:26]} {i}"
        i += 1
    used.add(name)
    return name
