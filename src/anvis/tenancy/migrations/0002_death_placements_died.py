"""A move-out for death used to end the municipal placement as "other", which the anniversary
retention table counted as a lost home. The placements ended by a death are now "died" (neither
kept nor lost); this rewrites the ones already ended that way."""

from django.db import migrations


def _placements(apps, outcome):
    Tenancy = apps.get_model("tenancy", "Tenancy")
    Placement = apps.get_model("monitoring", "MunicipalPlacement")
    for tenancy in Tenancy.objects.filter(end_reason="death").select_related(
        "lease__vacancy", "case"
    ):
        yield Placement.objects.filter(
            dwelling_id=tenancy.lease.vacancy.dwelling_id,
            placed_on=tenancy.lease.move_in_on,
            case_ref=tenancy.case.number,
            moved_out_on=tenancy.ended_on,
            outcome=outcome,
        )


def forwards(apps, schema_editor):
    for placements in _placements(apps, "other"):
        placements.update(outcome="died")


def backwards(apps, schema_editor):
    for placements in _placements(apps, "died"):
        placements.update(outcome="other")


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0001_tenancies_events_tasks"),
        ("monitoring", "0004_placement_outcome_died"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
