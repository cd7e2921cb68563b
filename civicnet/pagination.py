"""Pagination for long lists: on a large table the COUNT(*) costs more than the page itself."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

EXACT_BELOW = 1000  # small lists are counted every time: cheap, and always right
COUNT_TTL = 60


class CachedCountPaginator(Paginator):
    """Counts a large result once a minute per query, not on every page view.

    The total shown ("12,345 issues") may lag by a minute on a list that size; which issues are
    shown, and in what order, is always current.
    """

    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        key = "count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
        total = super().count
        if total >= EXACT_BELOW:
            cache.set(key, total, COUNT_TTL)
        return total
