"""The number rule of the forms: a number typed into a form is read by one home,
``anvis.common.forms`` (``WholeNumberField``, ``DecimalNumberField``, and the project's
``ModelForm``, which gives them to integer and decimal model fields). Django's own number fields
read "5.000" as 5, so no app form uses them directly, and no app model form derives from
Django's ``ModelForm``. Read from the source of ``src/anvis``; Django's admin forms are the
administrator's and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "anvis"
HOME = SRC / "common" / "forms.py"
FORBIDDEN = {"IntegerField", "DecimalField", "FloatField", "ModelForm"}


def violations(tree: ast.AST) -> list[tuple[int, str]]:
    """``forms.IntegerField(...)`` and the like, and ``class X(forms.ModelForm)``."""
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Call):
            targets = [node.func]
        elif isinstance(node, ast.ClassDef):
            targets = list(node.bases)
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr in FORBIDDEN
                and isinstance(target.value, ast.Name)
                and target.value.id == "forms"
            ):
                found.append((target.lineno, f"forms.{target.attr}"))
    return found


def test_forms_read_numbers_through_the_one_home() -> None:
    offending = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts and path != HOME and path.name != "admin.py"
        for line, what in violations(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offending == []


def test_the_rule_sees_a_django_number_field() -> None:
    source = "class F(forms.ModelForm):\n    n = forms.IntegerField()\n"
    assert [what for _line, what in violations(ast.parse(source))] == [
        "forms.ModelForm",
        "forms.IntegerField",
    ]
