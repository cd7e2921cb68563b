"""Pagination for long lists: on a large table the COUNT(*) costs more than the page itself."""

import hashlib
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
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


class Keyset:
    """A descending order that can go on "after this row" along its index, instead of OFFSET.

    With OFFSET, page 500 reads and throws away 9,980 rows first; a keyset page starts where the
    previous one ended, so every page costs what the first does. In a list whose order moves
    (votes), an item that climbs past the reader's position is not shown to them again, as OFFSET
    would; one that falls below it may be.

    Each pair is an ORDER BY expression in SQL (in order, all descending, the last one unique) and
    the attribute that reads the same value from a row.
    """

    SEPARATOR = "~"

    def __init__(self, *pairs: tuple[str, str], types: tuple[type, ...]):
        self.columns = tuple(column for column, _field in pairs)
        self.fields = tuple(field for _column, field in pairs)
        self.types = types

    def cursor(self, row) -> str:
        """The row's values, short enough for an address (a time as microseconds since 1970)."""
        values = [getattr(row, field) for field in self.fields]
        return self.SEPARATOR.join(str((v - EPOCH) // MICROSECOND if isinstance(v, datetime) else v) for v in values)

    def parse(self, cursor: str | None) -> tuple | None:
        """The values in a cursor, or None for a missing or malformed one (the page then uses OFFSET)."""
        parts = (cursor or "").split(self.SEPARATOR)
        if len(parts) != len(self.types):
            return None
        try:
            return tuple(
                EPOCH + int(part) * MICROSECOND if kind is datetime else kind(part)
                for part, kind in zip(parts, self.types, strict=True)
            )
        except (ValueError, OverflowError):
            return None

    def _compare(self, queryset, operator: str, values: tuple):
        ops = connection.ops
        params = [ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v for v in values]
        if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in params):
            return queryset.none()
        placeholders = ", ".join(["%s"] * len(params))
        condition = f"({', '.join(self.columns)}) {operator} ({placeholders})"
        # The columns are fixed in code; the values go as parameters.
        return queryset.filter(RawSQL(condition, params, output_field=BooleanField()))  # noqa: S611

    def after(self, queryset, values: tuple):
        return self._compare(queryset, "<", values)

    def before(self, queryset, values: tuple):
        """The rows just before `values`, nearest first (the queryset's order reversed)."""
        return self._compare(queryset, ">", values).reverse()


class KeysetPage:
    """The page a keyset cursor leads to, with the interface of Django's Page that templates use."""

    def __init__(self, object_list, *, number: int, paginator, has_next: bool):
        self.object_list, self.number, self.paginator, self._has_next = object_list, number, paginator, has_next

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def keyset_page(paginator: Paginator, keyset: Keyset, *, number: int, after=None, before=None):
    """The page after (or before) a cursor's row; None when there is nothing there any more."""
    size = paginator.per_page
    if after is not None:
        rows = list(keyset.after(paginator.object_list, after)[: size + 1])
        has_next, rows = len(rows) > size, rows[:size]
    else:
        rows = list(keyset.before(paginator.object_list, before)[: size + 1])
        if len(rows) <= size:
            number = 1  # nothing before these: this is the first page, whatever the link said
        rows, has_next = rows[:size][::-1], True
    if not rows:
        return None
    return KeysetPage(rows, number=min(max(number, 1), paginator.num_pages), paginator=paginator, has_next=has_next)
