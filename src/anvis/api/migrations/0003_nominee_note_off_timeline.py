"""Take the organisation's free-text note off the timeline lines of earlier nominee approvals.

`api.services.nominee_accept` used to append the note to the line's summary, which every viewer
of the vacancy reads (the steering group too), and notes name citizens. The note stays in the
audit record of the approval (`api.nominee_accept`); the line keeps only its fixed text, in the
language it was written in."""

from django.db import migrations
from django.db.models import F

# The line's fixed text as it was stored: the request's language, Danish or English.
ACCEPTED = (
    "Boligorganisationen godkendte den indstillede borger.",
    "The organisation accepted the nominee.",
)


def forward(apps, schema_editor):
    VacancyEvent = apps.get_model("vacancies", "VacancyEvent")
    for text in ACCEPTED:
        VacancyEvent.objects.filter(
            kind="offer", from_status=F("to_status"), summary__startswith=f"{text} "
        ).update(summary=text)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_tenancy_event_type"),
        ("vacancies", "0005_vacancy_limits"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
