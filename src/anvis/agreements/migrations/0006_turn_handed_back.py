from django.db import migrations, models


def mark_hand_backs(apps, schema_editor):
    """A turn record set back to ordinary behind a vacancy that was handed back is a hand-back
    the agreement did not count as delivered (before, the ledger took it for the organisation's
    own letting)."""
    TurnRecord = apps.get_model("agreements", "TurnRecord")
    TurnRecord.objects.filter(outcome="ordinary", vacancy__handed_back_on__isnull=False).update(
        handed_back=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_rent_ceiling_positive"),
        ("vacancies", "0004_let_from_hand_back_void_rent_statements"),
    ]

    operations = [
        migrations.AddField(
            model_name="turnrecord",
            name="handed_back",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text=(
                    "The municipality accepted the dwelling and handed it back, and the agreement "
                    "does not count a hand-back as delivered (outcome ordinary)."
                ),
                verbose_name="handed back",
            ),
        ),
        migrations.RunPython(mark_hand_backs, migrations.RunPython.noop),
    ]
