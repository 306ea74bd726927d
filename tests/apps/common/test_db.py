"""The bulk-load helpers: which tables a block wrote, atomic blocks without savepoints, and the
constraints left to the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from anvis.common.db import (
    constraints_left_to_database,
    note_written,
    refresh_table_statistics,
    tracking_writes,
    without_savepoints,
)
from anvis.stock.models import Department, HousingOrganisation


@pytest.mark.django_db
def test_tracking_writes_names_the_tables_written() -> None:
    with tracking_writes() as written:
        org = HousingOrganisation.objects.create(name="Skrevet", cvr="12345678")
        HousingOrganisation.objects.filter(pk=org.pk).update(name="Opdateret")
        list(HousingOrganisation.objects.all())  # a read is not a write
        note_written("stock_dwelling")  # a COPY names its table itself
    # Two rows written to the organisations (the insert and the update), and what a COPY noted.
    assert written == {HousingOrganisation._meta.db_table: 2, "stock_dwelling": 1}
    note_written("stock_entrance")  # outside a block: nothing to record, no error


@pytest.mark.django_db
def test_tracking_writes_nests() -> None:
    """A write inside a nested block (a stock import inside a bulk load) counts in both."""
    table = HousingOrganisation._meta.db_table
    with tracking_writes() as outer:
        with tracking_writes() as inner:
            HousingOrganisation.objects.create(name="Indre", cvr="12345679")
            note_written("stock_dwelling", 5)
        HousingOrganisation.objects.create(name="Ydre", cvr="12345670")
    assert inner == {table: 1, "stock_dwelling": 5}
    assert outer == {table: 2, "stock_dwelling": 5}


def _estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table])
        return float(cursor.fetchone()[0])


def _organisations(first: int, count: int) -> None:
    HousingOrganisation.objects.bulk_create(
        HousingOrganisation(name=f"Org {i}", cvr=f"{20000000 + i}")
        for i in range(first, first + count)
    )


@pytest.mark.django_db
def test_statistics_are_refreshed_where_the_writes_made_them_stale() -> None:
    """A table is analysed again when more rows were written to it than autovacuum's measure
    (50 + 10 % of the rows its statistics count), not for a handful."""
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    table = HousingOrganisation._meta.db_table
    _organisations(0, 200)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    counted = _estimated_rows(table)
    assert counted >= 200
    with tracking_writes() as written:
        _organisations(200, 10)
    refresh_table_statistics(written)
    assert _estimated_rows(table) == counted  # 10 rows: left as they were
    with tracking_writes() as written:
        _organisations(210, 90)
    refresh_table_statistics(written)
    assert _estimated_rows(table) == counted + 100  # 90 rows > 50 + 10 %: analysed again
    refresh_table_statistics({"no_such_table": 10_000})  # an unknown name is passed over


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


@pytest.mark.django_db(transaction=True)
def test_bulk_rows_keep_their_foreign_keys() -> None:
    """The demo's COPY sets the table's foreign keys and plain indexes aside and adds them again:
    they are all back as they were, and a row that breaks a key still fails the load."""

    from anvis.demo.bulk import foreign_keys, secondary_indexes, write_rows
    from anvis.stock.models import Department

    if connection.vendor != "postgresql":
        pytest.skip("COPY and the foreign keys set aside are PostgreSQL's")
    table = Department._meta.db_table
    before, indexes = foreign_keys(table), secondary_indexes(table)
    org = HousingOrganisation.objects.create(name="Kopi", cvr="55667788")
    columns = ["id", "organisation_id", "number", "name", "district", "postal_code", "build_year"]
    with transaction.atomic():
        write_rows(Department, columns, [(910001, org.pk, "1", "Kopieret", "", "9000", 1970)])
    assert Department.objects.filter(pk=910001, organisation=org).exists()
    assert foreign_keys(table) == before and before
    assert secondary_indexes(table) == indexes and indexes
    with pytest.raises(IntegrityError, match="organisation"), transaction.atomic():
        write_rows(
            Department, columns, [(910002, org.pk + 1000, "2", "Uden ejer", "", "9000", 1970)]
        )
    assert not Department.objects.filter(pk=910002).exists()
    assert foreign_keys(table) == before
    assert secondary_indexes(table) == indexes


@pytest.mark.django_db
def test_constraints_left_to_database_are_still_kept(django_assert_num_queries: Any) -> None:
    """Inside the block `full_clean` asks nothing for the check, unique and foreign key
    constraints; the database still refuses a row that breaks one, and after the block they are
    checked beforehand again."""
    org = HousingOrganisation.objects.create(name="Regler", cvr="22334455")
    Department.objects.create(organisation=org, number="1", name="Første")
    twin = Department(organisation=org, number="1", name="Samme nummer")
    too_old = Department(organisation=org, number="2", name="For gammel", build_year=1500)
    for department in (twin, too_old):
        with pytest.raises(ValidationError):
            department.validate_constraints()
    with constraints_left_to_database(), django_assert_num_queries(0):
        twin.validate_constraints()
        too_old.validate_constraints()
    for department in (twin, too_old):
        with pytest.raises(IntegrityError), transaction.atomic(), constraints_left_to_database():
            department.save()
    assert Department.objects.filter(organisation=org).count() == 1
    with pytest.raises(ValidationError, match="build"):
        too_old.validate_constraints()
    # A foreign key: the database's own (deferred) check still refuses a missing row.
    orphan = Department(organisation_id=org.pk + 1000, number="3", name="Uden ejer")
    with pytest.raises(ValidationError, match="organisation"):
        orphan.clean_fields()
    with constraints_left_to_database(), django_assert_num_queries(0):
        orphan.clean_fields()
    with pytest.raises(IntegrityError), transaction.atomic(), constraints_left_to_database():
        orphan.save()
        connection.check_constraints()
