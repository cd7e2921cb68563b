"""Votes: the busiest write of the site, one statement on PostgreSQL.

A vote is the person's row and the issue's counter moving together. On PostgreSQL the whole of it
(lock the issue and recheck that it takes votes, delete or insert the row, move the counter and
the trend score by what actually changed, follow the issue, read the new count back) is one
statement, so one round trip and its own transaction: a click costs the session, the user, the
issue and this. Elsewhere (SQLite, the embedded default) the same steps run one by one in a
transaction. Both give the same results; tests run on both.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from civicnet import pagecache

from ..models import Follow, Issue, Vote
from .issues import TREND_WEIGHTS, follow_ensure

# The weight a vote adds to the trend score at once; trending_refresh() recomputes it exactly.
FRESH_WEIGHT = TREND_WEIGHTS[0]

# A vote's transaction does not wait for its WAL to reach the disk (PostgreSQL's asynchronous
# commit, for this transaction alone; VOTE_DURABLE_COMMIT=true turns it off): the click is
# answered about two milliseconds sooner. What a crash of the database server can cost is the
# votes of its last fraction of a second (at most three times wal_writer_delay, 0.6 s by
# default), each vanishing whole, the row with its count: counts stay exact, and the person can
# vote again. Nothing else on the site commits this way.
#
# `may_delete` / `may_add` say what is asked: a toggle may do either (adding only if nothing was
# deleted), "vote" only adds, "unvote" only deletes. The issue's row is locked first: a merge or
# a closing that commits meanwhile is seen (READ COMMITTED rechecks a locked row's conditions),
# and the deletion waits for the lock, so every step below sees the same issue.
_STATEMENT = """
WITH target AS (
    SELECT id, (NOT hidden AND merged_into_id IS NULL AND status <> %(closed)s) AS open, vote_count, offline_vote_count
    FROM {issue} WHERE id = %(issue)s FOR UPDATE
), gone AS (
    DELETE FROM {vote}
    WHERE %(may_delete)s AND issue_id = (SELECT id FROM target) AND user_id = %(user)s
    RETURNING 1
), added AS (
    INSERT INTO {vote} (issue_id, user_id, created_at)
    SELECT id, %(user)s, %(now)s FROM target WHERE open AND %(may_add)s AND NOT EXISTS (SELECT 1 FROM gone)
    ON CONFLICT DO NOTHING
    RETURNING 1
), moved AS (
    SELECT (SELECT count(*) FROM added) - (SELECT count(*) FROM gone) AS n
), counted AS (
    UPDATE {issue} SET
        vote_count = vote_count + (SELECT n FROM moved),
        trend_score = GREATEST(trend_score + %(weight)s * (SELECT n FROM moved), 0)
    WHERE id = %(issue)s AND (SELECT n FROM moved) <> 0
    RETURNING vote_count, offline_vote_count
), followed AS (
    INSERT INTO {follow} (issue_id, user_id, created_at)
    SELECT %(issue)s, %(user)s, %(now)s FROM added
    ON CONFLICT DO NOTHING
)
SELECT
    (SELECT open FROM target),
    (SELECT count(*) FROM gone),
    (SELECT count(*) FROM added),
    -- The counts as the vote left them; unchanged, as the lock found them (not the statement's
    -- snapshot, which predates the wait for the lock).
    COALESCE((SELECT vote_count FROM counted), (SELECT vote_count FROM target)),
    COALESCE((SELECT offline_vote_count FROM counted), (SELECT offline_vote_count FROM target)),
    set_config('synchronous_commit', COALESCE(%(synchronous_commit)s, current_setting('synchronous_commit')), true)
"""


def vote_set(*, user, issue: Issue, voted: bool) -> bool:
    """Vote (`voted=True`) or take the vote back. Returns whether the user now votes for the issue.

    Asking for what is already so changes nothing: a double click on "vote", or a form sent
    twice, counts once and never cancels. The unique constraint makes two tabs count once; the
    counter moves by the rows that changed, in the same transaction, so it always equals the
    number of votes. Voting also follows the issue. Afterwards `issue.vote_count` and
    `issue.offline_vote_count` are the issue's current counts (what its button shows). No
    cached page is dropped: they fill in the current count when served (civicnet/pagecache.py).
    """
    return _vote(user=user, issue=issue, may_delete=not voted, may_add=voted)


def vote_toggle(*, user, issue: Issue) -> bool:
    """Take the vote back if there is one, else vote (a form that does not say which it wants)."""
    return _vote(user=user, issue=issue, may_delete=True, may_add=True)


def _vote(*, user, issue: Issue, may_delete: bool, may_add: bool) -> bool:
    run = _statement if connection.vendor == "postgresql" else _steps
    is_open, gone, added, online, offline = run(user=user, issue=issue, may_delete=may_delete, may_add=may_add)
    if gone or added:
        pagecache.live_changed("votes", issue.pk)  # at once, or when the caller's transaction commits
    if is_open is None:  # the issue is gone (deleted meanwhile): no vote to add or to take back
        if may_add:
            raise ValidationError(_("This issue no longer takes votes."))
        return False
    if may_add and not gone and not added and not is_open:
        raise ValidationError(_("This issue no longer takes votes."))
    issue.vote_count, issue.offline_vote_count = online, offline
    # Now voting: a vote added, or one that was there already (a double click, a second tab).
    return bool(added) or (may_add and not gone)


def _statement(*, user, issue, may_delete, may_add) -> tuple:
    tables = {"issue": Issue._meta.db_table, "vote": Vote._meta.db_table, "follow": Follow._meta.db_table}
    params = {
        "issue": issue.pk,
        "user": user.pk,
        "now": timezone.now(),
        "closed": Issue.Status.CLOSED,
        "weight": FRESH_WEIGHT,
        "may_delete": may_delete,
        "may_add": may_add,
        # Alone, the statement is its own transaction, which need not wait for the disk (below);
        # inside a caller's transaction it leaves that transaction's choice as it is.
        "synchronous_commit": None if connection.in_atomic_block or settings.CIVICNET_VOTE_DURABLE_COMMIT else "off",
    }
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENT.format(**tables), params)
        return cursor.fetchone()[:5]


@transaction.atomic
def _steps(*, user, issue, may_delete, may_add) -> tuple:
    """The same as the statement, a step at a time (SQLite locks the whole database on the first write)."""
    gone = added = 0
    is_open = True
    if may_delete:
        gone, _rows = Vote.objects.filter(user=user, issue=issue).delete()
        if gone:
            Issue.objects.filter(pk=issue.pk).update(
                vote_count=F("vote_count") - 1, trend_score=Greatest(F("trend_score") - FRESH_WEIGHT, 0)
            )
    if may_add and not gone:
        table = Vote._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (issue_id, user_id, created_at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",  # noqa: S608 (our table)
                [issue.pk, user.pk, timezone.now()],
            )
            added = cursor.rowcount
        current = Issue.objects.filter(pk=issue.pk).open_for_discussion()
        if added:
            if not current.update(vote_count=F("vote_count") + 1, trend_score=F("trend_score") + FRESH_WEIGHT):
                raise ValidationError(_("This issue no longer takes votes."))  # closed or merged meanwhile
            follow_ensure(user=user, issue=issue)
        else:
            is_open = current.exists()  # voted already; still, say so if it no longer takes votes
    counts = Issue.objects.filter(pk=issue.pk).values_list("vote_count", "offline_vote_count").first()
    if counts is None:
        return None, gone, added, 0, 0
    return is_open, gone, added, *counts
