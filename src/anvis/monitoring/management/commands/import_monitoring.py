from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anvis.monitoring.importing import import_designations, import_indicators


class Command(BaseCommand):
    help = (
        "Import department indicators or the 1 December area lists from a CSV/XLSX file "
        "(all or nothing)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["indikatorer", "omraader"])
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        importer = import_indicators if options["kind"] == "indikatorer" else import_designations
        result = importer(path.read_bytes(), path.name, actor=None)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} errors; nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} rows ({result.created} new, "
                f"{result.updated} replaced or updated)."
            )
        )
