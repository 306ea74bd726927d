"""The bulk-load helpers: which tables a block wrote, and atomic blocks without savepoints."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from anvis.core.db import note_written, tracking_writes, without_savepoints
from anvis.stock.models import HousingOrganisation


@pytest.mark.django_db
def test_tracking_writes_names_the_tables_written() -> None:
    with tracking_writes() as written:
        org = HousingOrganisation.objects.create(name="Skrevet", cvr="12345678")
        HousingOrganisation.objects.filter(pk=org.pk).update(name="Opdateret")
        list(HousingOrganisation.objects.all())  # a read is not a write
        note_written("stock_dwelling")  # a COPY names its table itself
    assert written == {HousingOrganisation._meta.db_table, "stock_dwelling"}
    note_written("stock_entrance")  # outside a block: nothing to record, no error


@pytest.mark.django_db(transaction=True)
def test_without_savepoints_nested_blocks_make_none(django_assert_num_queries: Any) -> None:
    # The insert alone, no SAVEPOINT and RELEASE around it.
    with (
        transaction.atomic(),
        without_savepoints(),
        django_assert_num_queries(1),
        transaction.atomic(),
    ):
        HousingOrganisation.objects.create(name="Uden", cvr="87654321")
    # Afterwards nested blocks make savepoints again.
    with transaction.atomic(), django_assert_num_queries(3), transaction.atomic():
        HousingOrganisation.objects.create(name="Med", cvr="11223344")
