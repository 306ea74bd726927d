from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from anvis.common.lists import CappedPaginator, paginate
from anvis.stock.models import HousingOrganisation


@pytest.fixture
def organisations(db: Any) -> None:
    HousingOrganisation.objects.bulk_create(
        HousingOrganisation(name=f"Org {i:02d}", cvr=f"{30000000 + i}") for i in range(12)
    )


def test_count_is_exact_up_to_the_cap(organisations: None) -> None:
    paginator = CappedPaginator(HousingOrganisation.objects.order_by("name"), 5, cap=12)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (12, False, 3)


def test_count_stops_at_the_cap(organisations: None, django_assert_num_queries: Any) -> None:
    paginator = CappedPaginator(HousingOrganisation.objects.order_by("name"), 5, cap=10)
    with django_assert_num_queries(1) as ctx:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (10, True, 2)
    sql = ctx.captured_queries[0]["sql"].upper()
    assert "LIMIT 11" in sql and "ORDER BY" not in sql
    # The last reachable page is full; the real rows behind the cap are left to the filters.
    assert [o.name for o in paginator.get_page(2)] == [f"Org {i:02d}" for i in range(5, 10)]


def test_lists_are_counted_by_length() -> None:
    paginator = CappedPaginator(list(range(7)), 5, cap=3)
    assert (paginator.count, paginator.capped) == (3, True)


def test_page_says_more_than_when_capped(organisations: None) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    request = RequestFactory().get("/", {"q": "x", "page": "2"})
    page, query = paginate(request, HousingOrganisation.objects.order_by("name"), 5, cap=10)
    assert query == "q=x"
    with translation.override("da"):
        html = render_to_string("common/_pagination.html", {"page": page, "query": query})
    assert "Side 2 af flere end 2" in html
    assert "Flere end 10 resultater" in html
