"""Offers record the one gate's findings (code, severity, values) and the allocation lead's
override; the free-text warnings of the old offer form become findings with their text."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def warnings_to_findings(apps, schema_editor):
    Offer = apps.get_model("vacancies", "Offer")
    for offer in Offer.objects.exclude(eligibility_warnings=[]).only("pk", "eligibility_warnings"):
        offer.findings = [
            {"code": "note", "severity": "soft", "params": {"text": str(text)}}
            for text in offer.eligibility_warnings or []
        ]
        offer.save(update_fields=["findings"])


def findings_to_warnings(apps, schema_editor):
    Offer = apps.get_model("vacancies", "Offer")
    for offer in Offer.objects.exclude(findings=[]).only("pk", "findings"):
        offer.eligibility_warnings = [
            f.get("params", {}).get("text", f.get("code", "")) for f in offer.findings
        ]
        offer.save(update_fields=["eligibility_warnings"])


class Migration(migrations.Migration):
    dependencies = [
        ("vacancies", "0002_guarantee_claims"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="findings",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The rules the offer broke when it was made (code, severity, values), each confirmed (soft) or overridden by the allocation lead (agreement).",
                verbose_name="findings when offered",
            ),
        ),
        migrations.AddField(
            model_name="offer",
            name="override_reason",
            field=models.TextField(
                blank=True,
                help_text="The allocation lead's written reason for overriding a cap, closure or term.",
                verbose_name="reason for overriding",
            ),
        ),
        migrations.AddField(
            model_name="offer",
            name="overridden_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="overridden by",
            ),
        ),
        migrations.RunPython(warnings_to_findings, findings_to_warnings),
        migrations.RemoveField(model_name="offer", name="eligibility_warnings"),
    ]
