from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anvis.stock.importing import import_stock


class Command(BaseCommand):
    help = "Import the housing stock from a CSV or XLSX file (all or nothing). See docs/import-stock.md."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = import_stock(path.read_bytes(), path.name, actor=None)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} rows. Created: {result.created}. Updated: {result.updated}."
            )
        )
