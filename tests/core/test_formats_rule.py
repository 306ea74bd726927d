"""The formatting rule of the code: the interface writes dates, times and numbers through one
home, ``anvis.common.formats`` (Django's localisation), never by hand. So a page, a message, a
chart and a stored note agree, and a user who has chosen English gets English dates.

Read from the source of ``src/anvis`` (the pure core ``anvis_core`` knows no language and is not
scanned): a ``strftime`` or an f-string date format is allowed only for the machine formats
listed below (ISO dates in URLs, file names and HTML date inputs; the digits of a CPR number);
Django's ``date_format``, ``time_format`` and ``number_format`` are called only by
``anvis.common.formats``; and no number is turned Danish with ``.replace(".", ",")``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "anvis"
HOME = SRC / "common" / "formats.py"

#: formats a machine reads: ISO dates, months and moments (URLs, file names, <input type=date>),
#: the day and month digits a CPR number starts with, and the household form's own input format
#: for children's birth dates (written back into the field for editing, read by the same form)
MACHINE_FORMATS = {"%Y-%m-%d", "%Y-%m", "%Y-%m-%dT%H:%M", "%d%m", "%d-%m-%Y"}
#: Django's formatting functions, for ``anvis.common.formats`` alone
DJANGO_FORMATTERS = {"date_format", "time_format", "number_format"}
EXEMPT = {
    # below ``anvis.common`` in the layers, so it cannot use it: the audit trail writes ISO moments
    SRC / "audit" / "models.py",
    # the CSV format's own home: Danish decimal commas and dates whatever the interface language,
    # for Danish spreadsheets (docs/architecture.md, "One file writer")
    SRC / "common" / "exports.py",
}


def _sources() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts and p != HOME and p not in EXEMPT
    )


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _format_spec(node: ast.FormattedValue) -> str | None:
    spec = node.format_spec
    if isinstance(spec, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in spec.values):
        return "".join(str(v.value) for v in spec.values if isinstance(v, ast.Constant))
    return None


def violations(tree: ast.AST) -> list[tuple[int, str]]:
    """The hand-made formats in one module: (line, what)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called_name(node)
            first = node.args[0] if node.args else None
            text = first.value if isinstance(first, ast.Constant) else None
            if name == "strftime" and text not in MACHINE_FORMATS:
                found.append((node.lineno, f"strftime({text!r})"))
            elif name in DJANGO_FORMATTERS:
                found.append((node.lineno, f"{name}(...)"))
            elif name == "replace" and [
                a.value for a in node.args if isinstance(a, ast.Constant)
            ] == [".", ","]:
                found.append((node.lineno, 'replace(".", ",")'))
        elif isinstance(node, ast.FormattedValue):
            spec = _format_spec(node)
            if spec and re.search(r"%[A-Za-z]", spec) and spec not in MACHINE_FORMATS:
                found.append((node.lineno, f"f-string format {spec!r}"))
    return found


def test_dates_and_numbers_are_formatted_in_one_home() -> None:
    broken = [
        f"{path.relative_to(SRC.parent)}:{line}: {what}"
        for path in _sources()
        for line, what in violations(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not broken, "format through anvis.common.formats instead:\n" + "\n".join(broken)


def test_the_rule_sees_each_kind_of_hand_made_format() -> None:
    source = """
day.strftime("%d.%m.%Y")
f"{day:%d.%m.%Y}"
date_format(day, "SHORT_DATE_FORMAT")
number_format(value, 1)
text.replace(".", ",")
f"{day:%Y-%m}"
day.strftime("%Y-%m-%d")
f"{amount:.1f}"
f"{share:.1%}"
text.replace(",", ".")
"""
    assert sorted(line for line, _ in violations(ast.parse(source))) == [2, 3, 4, 5, 6]


#: a template's own date or time pattern (``|date:"d.m.Y"``, ``|time:"H:i"``); ``|date:"c"``, the
#: ISO moment of a ``<time datetime>`` attribute, is a machine format
TEMPLATE_PATTERN = re.compile(r"\|\s*(date|time)\b(?!\s*:\s*[\"']c[\"'])")


def test_templates_write_dates_and_numbers_through_the_filters_of_one_home() -> None:
    # The filters of anvis.common.formats (|day, |moment …) are the templates' only way to write
    # a date: a pattern of their own writes 04.12.2026 to a user who has chosen English.
    broken = [
        f"{path.relative_to(SRC.parent)}:{number}: {line.strip()[:80]}"
        for path in sorted(SRC.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_PATTERN.search(line)
    ]
    assert not broken, "use |day, |moment … instead:\n" + "\n".join(broken)


def test_the_template_rule_sees_a_hand_made_pattern() -> None:
    lines = ['{{ d|date:"d.m.Y" }}', "{{ t|time:'H:i' }}", "{{ t|date }}", "{{ d|day }}"]
    lines.append("<time datetime=\"{{ e.at|date:'c' }}\">")
    assert [bool(TEMPLATE_PATTERN.search(line)) for line in lines] == [
        True,
        True,
        True,
        False,
        False,
    ]
