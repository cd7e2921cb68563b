import pytest

from civicnet.pagination import CachedCountPaginator
from openwall.models import Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


def test_small_lists_are_counted_exactly_every_time(city):
    IssueFactory.create_batch(3)
    assert CachedCountPaginator(Issue.objects.order_by("pk"), 20).count == 3
    IssueFactory()
    assert CachedCountPaginator(Issue.objects.order_by("pk"), 20).count == 4


def test_large_counts_are_reused_for_a_minute(city, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("civicnet.pagination.EXACT_BELOW", 2)
    IssueFactory.create_batch(3)
    with django_assert_num_queries(1):
        assert CachedCountPaginator(Issue.objects.order_by("pk"), 20).count == 3
    with django_assert_num_queries(0):
        assert CachedCountPaginator(Issue.objects.order_by("pk"), 20).count == 3
    with django_assert_num_queries(1):  # another filter is another count
        assert CachedCountPaginator(Issue.objects.filter(status="open").order_by("pk"), 20).count == 3
