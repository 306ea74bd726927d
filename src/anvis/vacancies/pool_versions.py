"""The versions of the citizen pool (`anvis.vacancies.pool`): for each waiting case, a text that
changes whenever any row its citizen is made of changes, read in one statement on PostgreSQL
from the rows' system columns, elsewhere from the rows' content."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from anvis.cases.models import AvoidArea, Case, HouseholdChild, LegalBarEvent
from anvis.cases.models import Citizen as Person

from .choices import OfferStatus
from .models import Lease, Offer, Vacancy

DECLINED_STATUSES = (
    OfferStatus.DECLINED,
    OfferStatus.EXPIRED,
    OfferStatus.REJECTED_BY_ORGANISATION,
)
"""Offers that ended with the citizen not taking the dwelling: the same dwelling is not offered
to the same citizen again (a withdrawn offer has no such consequence)."""


def _row_versions_sql() -> str:
    """One statement listing (kind, case id, row versions) for the rows a citizen is made of
    besides the case and its person: children, areas to avoid, legal-bar events, declined
    offers with the offer's dwelling id, and the leases through the agreement of any case of the
    citizen with their tenancies; the versions of one kind and case joined in id order.
    Declined offers of the citizen's earlier cases are not versioned: a closed case holds no
    active offer (the status page does not close one), so its offers no longer change.
    The case ids come as one array literal (``= ANY``), so the planner knows how many there are
    (a subquery's estimate can be far off after bulk loads)."""
    q = connection.ops.quote_name
    statuses = ", ".join(["%s"] * len(DECLINED_STATUSES))
    vacancy = q(Vacancy._meta.db_table)
    parts = [
        (1, HouseholdChild, "", ""),
        (2, AvoidArea, "", ""),
        (3, LegalBarEvent, "", ""),
        (
            4,
            Offer,
            ", v.dwelling_id",
            f"JOIN {vacancy} v ON v.id = r.vacancy_id WHERE r.status IN ({statuses}) AND",
        ),
    ]
    selects = [
        f"SELECT {kind}, r.case_id, "  # noqa: S608
        f"string_agg(concat_ws('.', r.id, r.xmin, r.ctid{extra}), ',' ORDER BY r.id) "
        f"FROM {q(model._meta.db_table)} r {join or 'WHERE'} r.case_id = ANY(%s::bigint[]) "
        "GROUP BY r.case_id"
        for kind, model, extra, join in parts
    ]
    # The leases of the citizen's cases (any of them) that came through an accepted offer, with
    # the tenancy that records their end: a lease or tenancy written changes the version.
    case, offer, lease = (q(m._meta.db_table) for m in (Case, Offer, Lease))
    tenancy = q(Lease._meta.get_field("tenancy").related_model._meta.db_table)
    selects.append(
        "SELECT 5, c.id, "  # noqa: S608
        "string_agg(concat_ws('.', l.id, l.xmin, l.ctid, t.xmin, t.ctid), ',' ORDER BY l.id) "
        f"FROM {case} c JOIN {case} s ON s.citizen_id = c.citizen_id "
        f"JOIN {offer} o ON o.case_id = s.id AND o.status = %s "
        f"JOIN {lease} l ON l.offer_id = o.id LEFT JOIN {tenancy} t ON t.lease_id = l.id "
        "WHERE c.id = ANY(%s::bigint[]) GROUP BY c.id"
    )
    return " UNION ALL ".join(selects)


_CASE, _PERSON = (f'"{m._meta.db_table}"' for m in (Case, Person))
CASE_VERSION = RawSQL(  # noqa: S611 (table names, no values)
    f"concat_ws('.', {_CASE}.xmin, {_CASE}.ctid, {_PERSON}.xmin, {_PERSON}.ctid)", ()
)
"""The row versions of a case and its person (the query joins the person for the birth date)."""

Version = tuple[str | None, ...] | str
"""What a case's citizen is made of, compared between requests (:func:`pg_versions`,
:func:`content_versions`)."""


def pg_versions(waiting: QuerySet[Case]) -> list[tuple[int, Version]]:
    """(case id, version) of every waiting case in pool order, in two statements. The version
    holds the system columns ``xmin`` (the transaction that wrote the row version) and ``ctid``
    (where it lies) of the case, its person and every child, area to avoid, legal-bar event and
    declined offer of it (with the offer's dwelling id). Every UPDATE writes a new row version,
    so the pair changes with every write, also with two writes in one transaction."""
    cases = list(
        waiting.annotate(version=CASE_VERSION).values_list("pk", "version", "citizen__birth_date")
    )
    ids = "{" + ",".join([str(pk) for pk, _v, _b in cases]) + "}"
    related: tuple[dict[int, str], ...] = ({}, {}, {}, {}, {})
    with connection.cursor() as cursor:
        cursor.execute(
            _row_versions_sql(),
            [ids, ids, ids, *DECLINED_STATUSES, ids, OfferStatus.ACCEPTED, ids],
        )
        for kind, key, versions in cursor.fetchall():
            related[kind - 1][key] = versions
    return [(pk, (version, *(kind.get(pk) for kind in related))) for pk, version, _birth in cases]


def content_versions(queries: Sequence[list[Any]]) -> list[tuple[int, Version]]:
    """(case id, version) in pool order where the database has no row versions: the content of
    every row the citizen is made of (exact, but every row is read)."""
    related: dict[int, list[Any]] = defaultdict(list)
    for i, rows in enumerate(queries[1:]):
        for row in rows:
            related[row[0]].append((i, row))
    return [(row[0], repr((row, related.get(row[0])))) for row in queries[0]]
