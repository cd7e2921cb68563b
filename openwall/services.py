"""Every write on the Open Wall: one function per action, keyword-only, transactional."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicnet import pagecache
from civicnet.accounts.services import organisers
from civicnet.markdown import markdown_render
from civicnet.notifications.services import notify
from civicnet.tasks import enqueue
from civicnet.uploads import image_reencode

from . import story
from .models import (
    Comment,
    CommunityEvent,
    EventRegistration,
    Flag,
    Follow,
    Issue,
    IssueEvent,
    ModerationAction,
    OfflineTally,
    Vote,
)
from .notifications import REPLY, REPORTED, REPORTED_HIDDEN


def issue_story_add(
    *,
    issue: Issue,
    kind: str,
    actor=None,
    target=None,
    data: dict | None = None,
    notify_data: dict | None = None,
    note: str = "",
    comment: Comment | None = None,
    old_status: str = "",
    new_status: str = "",
) -> IssueEvent:
    """Add a step to an issue's public story: the one way any app writes it.

    `kind` must be registered (openwall/story.py); `target` is the object the step is about, in
    any app; `data` is what its template and its notification need, stored with the step;
    `notify_data` what only the notification needs (a person's name). Side effects: the issue's
    page is refreshed (its cached copy dropped), and when the kind names a notification, the
    issue's followers but `actor` are told, from a task after commit, once per step and person.
    """
    step_kind = story.get(kind)
    if step_kind is None:
        raise ValueError(f"Unknown story step kind {kind!r}: register it in openwall.story first.")
    step = IssueEvent.objects.create(
        issue=issue,
        kind=kind,
        actor=actor,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        data=data or {},
        note=note,
        comment=comment,
        old_status=old_status,
        new_status=new_status,
    )
    if step_kind.notify:
        _notify_followers(
            issue=issue,
            kind=step_kind.notify,
            actor=actor,
            data={"issue": issue.title, **(data or {}), **(notify_data or {})},
            key=f"story:{step.pk}",
        )
    return step


def follow_ensure(*, user, issue: Issue) -> None:
    """Follow, if not already (one INSERT … ON CONFLICT DO NOTHING: no read, no savepoint)."""
    Follow.objects.bulk_create([Follow(user=user, issue=issue)], ignore_conflicts=True)


@transaction.atomic
def follow_toggle(*, user, issue: Issue) -> bool:
    """Follow or unfollow; returns whether the user follows the issue now."""
    deleted, _rows = Follow.objects.filter(user=user, issue=issue).delete()
    if deleted:
        return False
    follow_ensure(user=user, issue=issue)
    return True


@transaction.atomic
def issue_create(*, author, title: str, description: str, topic, language: str, district=None, photo=None) -> Issue:
    """Raise an issue. Side effects: photo re-encoded without metadata, a 'raised' event, author follows it."""
    issue = Issue.objects.create(
        author=author,
        title=title,
        description=description,
        description_html=markdown_render(description),
        topic=topic,
        district=district,
        language=language,
        photo=image_reencode(photo) if photo else "",
    )
    issue_story_add(issue=issue, kind=IssueEvent.Kind.RAISED, actor=author)
    follow_ensure(user=author, issue=issue)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, by, title: str, description: str, topic, district=None) -> Issue:
    """Edit the text while it is still editable (rechecked under a row lock: a vote may have just landed)."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if not by.has_perm("openwall.edit_issue", locked):
        raise PermissionDenied(_("This issue can no longer be edited."))
    locked.title, locked.description, locked.topic, locked.district = title, description, topic, district
    locked.description_html = markdown_render(description)
    locked.save(update_fields=["title", "description", "description_html", "topic", "district", "updated_at"])
    return locked


@transaction.atomic
def vote_set(*, user, issue: Issue, voted: bool) -> bool:
    """Vote (`voted=True`) or take the vote back. Returns whether the user now votes for the issue.

    Asking for what is already so changes nothing: a double click on "vote", or a form sent
    twice, counts once and never cancels. The unique constraint makes two tabs count once; the
    counter moves with F() in the same transaction as the row, so it always equals the number of
    votes. Voting also follows the issue. The issue's page is dropped from the anonymous page
    cache; the lists keep theirs (their counts may lag by the cache's few seconds, see
    civicnet/pagecache.py).
    """
    if not voted:
        deleted, _rows = Vote.objects.filter(user=user, issue=issue).delete()
        if deleted:
            pagecache.invalidate(f"issue:{issue.pk}")
            Issue.objects.filter(pk=issue.pk).update(
                vote_count=F("vote_count") - 1, trend_score=Greatest(F("trend_score") - TREND_WEIGHTS[0], 0)
            )
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(user=user, issue=issue)
    except IntegrityError:
        return True  # voted already (a double click, or a concurrent request of the same user)
    pagecache.invalidate(f"issue:{issue.pk}")
    # The trend score moves now too; trending_refresh() recomputes it exactly every few minutes.
    # The update re-checks the issue under its row lock: a merge or closing may have just happened.
    if not _open_for_discussion(issue).update(
        vote_count=F("vote_count") + 1, trend_score=F("trend_score") + TREND_WEIGHTS[0]
    ):
        raise ValidationError(_("This issue no longer takes votes."))
    follow_ensure(user=user, issue=issue)
    return True


@transaction.atomic
def vote_toggle(*, user, issue: Issue) -> bool:
    """Vote, or take the vote back if there is one (a form that does not say which it wants)."""
    return vote_set(user=user, issue=issue, voted=not Vote.objects.filter(user=user, issue=issue).exists())


def votes_erase(*, user) -> None:
    """Remove a person's votes (their account is being deleted), each issue's count going down
    with them: one grouped UPDATE per issue."""
    votes = Vote.objects.filter(user=user)
    for row in votes.values("issue_id").annotate(n=models.Count("id")):
        issue_id = row["issue_id"]
        Issue.objects.filter(pk=issue_id).update(vote_count=Greatest(F("vote_count") - row["n"], 0))
        pagecache.invalidate(f"issue:{issue_id}")
    votes.delete()


def _open_for_discussion(issue: Issue):
    return Issue.objects.filter(pk=issue.pk).open_for_discussion()


# (age limit, weight): a vote of the last day counts 4, of the last three days 2, of the week 1.
TREND_WINDOWS = ((timedelta(days=1), 4), (timedelta(days=3), 2), (timedelta(days=7), 1))
TREND_WEIGHTS = [weight for _age, weight in TREND_WINDOWS]


def trending_refresh(*, now=None) -> int:
    """Recompute every trend score in the database from the last week's votes. Returns rows updated.

    Only issues with recent votes, or a score left from before, are touched: a correlated
    count on the (issue, created_at) index each, not a pass over every vote.
    """
    now = now or timezone.now()
    week = now - TREND_WINDOWS[-1][0]
    weight = Case(
        *[When(created_at__gte=now - age, then=Value(points)) for age, points in TREND_WINDOWS],
        default=Value(0),
        output_field=models.IntegerField(),
    )
    score = (
        Vote.objects.filter(issue=OuterRef("pk"), created_at__gte=week)
        .order_by()
        .values("issue")
        .annotate(score=Sum(weight))
        .values("score")
    )
    touched = Issue.objects.filter(
        Q(trend_score__gt=0) | Q(pk__in=Vote.objects.filter(created_at__gte=week).values("issue"))
    )
    return touched.update(trend_score=Coalesce(Subquery(score), 0))


def _notify_followers(*, issue: Issue, kind: str, actor, data: dict, key: str) -> None:
    """Tell the followers from a task once this transaction commits: a popular issue has thousands,
    and the row lock of the change that triggered it must not wait for them."""
    # Nothing else records that followers are owed a message: with the broker down, tell them now.
    enqueue(
        "openwall.notify_followers",
        inline_if_broker_down=True,
        issue_id=issue.pk,
        kind=kind,
        actor_id=actor.pk if actor else None,
        data=data,
        key=key,
    )


def followers_notify(*, issue_id: int, kind: str, actor_id: int | None, data: dict, key: str) -> int:
    """Notify every follower of an issue but the person who acted. Returns how many were told.

    `key` names the change (a status event, an answer): run twice, the emails go once per person.
    """
    issue = Issue.objects.get(pk=issue_id)
    followers = issue.follows.exclude(user_id=actor_id).select_related("user").order_by("pk")
    told = 0
    for follow in followers.iterator(chunk_size=500):
        notify(
            recipient=follow.user,
            kind=kind,
            actor_id=actor_id,
            target=issue,
            data=data,
            url=issue.get_absolute_url(),
            email_context={"issue": issue, "kind": kind, "data": data},
            dedupe_key=key,
        )
        told += 1
    return told


@transaction.atomic
def comment_create(*, author, issue: Issue, body: str, parent: Comment | None = None, official: bool = False):
    """Comment (or reply, one level deep). Side effects: counter, follow, notifications.

    An official answer (organisers only) goes on the issue's timeline and reaches every follower;
    a reply reaches the author of the comment it answers.
    """
    if parent is not None:
        if parent.issue_id != issue.pk or parent.removed:
            raise ValidationError(_("You can only reply to a visible comment of this issue."))
        parent = parent.parent or parent  # replies stay one level deep
    if official and not author.has_perm("openwall.answer_officially"):
        raise PermissionDenied
    if not _open_for_discussion(issue).update(comment_count=F("comment_count") + 1):
        raise ValidationError(_("This issue no longer takes comments."))
    comment = Comment.objects.create(
        issue=issue, parent=parent, author=author, body=body, body_html=markdown_render(body), official=official
    )
    follow_ensure(user=author, issue=issue)
    data = {"issue": issue.title, "user": author.public_name}
    if official:  # the step tells every follower (its kind names OFFICIAL_ANSWER)
        issue_story_add(
            issue=issue,
            kind=IssueEvent.Kind.OFFICIAL_ANSWER,
            actor=author,
            comment=comment,
            notify_data={"user": data["user"]},  # for the notification; the step itself keeps no name
        )
    elif parent is not None and parent.author and parent.author_id != author.pk:
        notify(
            recipient=parent.author,
            kind=REPLY.key,
            actor=author,
            target=issue,
            data=data,
            url=issue.get_absolute_url() + f"#comment-{comment.pk}",
            email_context={"issue": issue, "kind": REPLY.key, "data": data},
        )
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by, body: str) -> Comment:
    if not by.has_perm("openwall.edit_comment", comment):
        raise PermissionDenied(_("This comment can no longer be edited."))
    comment.body, comment.body_html, comment.edited_at = body, markdown_render(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_remove(*, comment: Comment, by) -> Comment:
    """Remove the text; the place stays ('comment removed') so replies keep their context."""
    if not by.has_perm("openwall.remove_comment", comment):
        raise PermissionDenied
    if not comment.hidden:  # a hidden comment was already taken off the count
        Issue.objects.filter(pk=comment.issue_id).update(comment_count=Greatest(F("comment_count") - 1, 0))
    comment.removed, comment.body, comment.body_html = True, "", ""
    comment.save(update_fields=["removed", "body", "body_html"])
    return comment


@transaction.atomic
def issue_status_set(*, issue: Issue, by, status: str, note: str = "", close_reason: str = "") -> bool:
    """Move an issue to `status` (organisers). Side effects: a timeline event, followers notified.

    Returns False when the issue already had that status. Closing needs a public reason.
    """
    if status == Issue.Status.CLOSED and not close_reason:
        raise ValidationError(_("Say why the issue is closed."))
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.status == status:
        return False
    old = locked.status
    locked.status = status
    locked.close_reason = close_reason if status == Issue.Status.CLOSED else ""
    locked.save(update_fields=["status", "close_reason", "updated_at"])
    # The step tells the followers (its kind names STATUS_CHANGED).
    issue_story_add(
        issue=locked,
        kind=IssueEvent.Kind.STATUS,
        actor=by,
        old_status=old,
        new_status=status,
        note=note,
        data={"status": status},
    )
    if status == Issue.Status.CLOSED:  # closing is moderation too: it goes in the log, with its reason
        reason = str(Issue.CloseReason(close_reason).label) + (f": {note}" if note else "")
        _log(by=by, action=ModerationAction.Action.CLOSE, issue=locked, reason=reason)
    issue.status = locked.status
    return True


def _log(*, by, action: str, issue=None, comment=None, reason: str = "") -> ModerationAction:
    return ModerationAction.objects.create(moderator=by, action=action, issue=issue, comment=comment, reason=reason)


@transaction.atomic
def flag_create(*, user, reason: str, note: str = "", issue: Issue | None = None, comment: Comment | None = None):
    """Flag an issue or a comment once per person. Returns (flag, created).

    Side effects, once the open flags on the target reach settings.OPENWALL_FLAGS_TO_HIDE:
    - the organisers are told (once per target and round of reports);
    - the target is hidden pending review (an automatic, logged moderation action) only if that
      many of the reports come from trusted reporters (see _trusted_reports), and, for an issue,
      only while fewer than settings.OPENWALL_FLAGS_PROTECTED_VOTES people support it: an issue
      many people back waits in the queue for an organiser instead of vanishing.
    """
    target = {"issue": issue} if issue is not None else {"comment": comment}
    try:
        with transaction.atomic():
            flag = Flag.objects.create(user=user, reason=reason, note=note, **target)
    except IntegrityError:
        return Flag.objects.get(user=user, **target), False
    # Reports on one target are counted one at a time, so that exactly one of them reaches the threshold.
    (Issue if issue is not None else Comment).objects.select_for_update().filter(pk=(issue or comment).pk).first()
    threshold = settings.OPENWALL_FLAGS_TO_HIDE
    open_flags = Flag.objects.filter(resolved_at__isnull=True, **target)
    if open_flags.count() < threshold:
        return flag, True
    supported = issue is not None and issue.total_votes >= settings.OPENWALL_FLAGS_PROTECTED_VOTES
    hidden = False
    if not supported and _trusted_reports(open_flags) >= threshold:
        hidden = _moderate(
            by=None,
            action=ModerationAction.Action.AUTO_HIDE,
            hidden=True,
            reason=f"{open_flags.count()} flags",
            resolve=False,
            **target,
        )
    if hidden or open_flags.count() == threshold:
        _organisers_notify_reported(issue=issue, comment=comment, count=open_flags.count(), hidden=hidden)
    return flag, True


def _trusted_reports(open_flags) -> int:
    """How many of these reports come from people whose word hides content by itself: an account
    older than settings.OPENWALL_FLAG_TRUSTED_AFTER_DAYS, or one with a report a moderator upheld.
    Three accounts made this morning can report, but not make an issue disappear."""
    joined_before = timezone.now() - timedelta(days=settings.OPENWALL_FLAG_TRUSTED_AFTER_DAYS)
    upheld_before = Flag.objects.filter(upheld=True).values("user")
    return open_flags.filter(Q(user__date_joined__lte=joined_before) | Q(user__in=upheld_before)).count()


def _organisers_notify_reported(*, issue, comment, count: int, hidden: bool) -> None:
    title = issue.title if issue is not None else comment.issue.title
    url = reverse("admin:openwall_flag_changelist") + "?state=open"
    for organiser in organisers():
        notify(
            recipient=organiser,
            kind=(REPORTED_HIDDEN if hidden else REPORTED).key,
            target=issue or comment,
            data={"title": title, "count": count, "outcome": "hidden" if hidden else "waiting"},
            url=url,
        )


def _moderate(*, by, action: str, hidden: bool, reason: str, issue=None, comment=None, resolve=True) -> bool:
    """Hide or show, keep comment_count in step, resolve the flags (unless automatic: upheld when
    hidden, dismissed when shown again), and log it. Returns whether the visibility changed."""
    target = {"issue": issue} if issue is not None else {"comment": comment}
    model = Issue if issue is not None else Comment
    changed = model.objects.filter(pk=(issue or comment).pk, hidden=not hidden).update(hidden=hidden)
    if changed:
        pagecache.invalidate(*(["wall", f"issue:{issue.pk}"] if issue is not None else [f"issue:{comment.issue_id}"]))
    if changed and comment is not None and not comment.removed:
        # comment_count counts what readers see: hidden comments leave it, restored ones come back.
        Issue.objects.filter(pk=comment.issue_id).update(
            comment_count=Greatest(F("comment_count") + (-1 if hidden else 1), 0)
        )
    if not changed and by is None:
        return False  # already hidden: nothing to log
    if resolve:
        Flag.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now(), upheld=hidden)
    _log(by=by, action=action, reason=reason, **target)
    return bool(changed)


@transaction.atomic
def moderation_hide(*, by, reason: str, issue: Issue | None = None, comment: Comment | None = None) -> None:
    """Hide from the public (organisers still see it) and resolve its flags; logged with who and why."""
    if not reason.strip():
        raise ValidationError(_("Say why it is hidden."))
    _moderate(by=by, action=ModerationAction.Action.HIDE, hidden=True, reason=reason, issue=issue, comment=comment)


@transaction.atomic
def moderation_restore(*, by, reason: str = "", issue: Issue | None = None, comment: Comment | None = None) -> None:
    """Show it again and dismiss its flags; logged."""
    _moderate(by=by, action=ModerationAction.Action.RESTORE, hidden=False, reason=reason, issue=issue, comment=comment)


@transaction.atomic
def issue_merge(*, duplicate: Issue, into: Issue, by) -> Issue:
    """Fold a duplicate into another issue.

    Votes, follows, comments and meetup tallies move over; someone who voted for both keeps one
    vote; a meetup that tallied both adds the two counts; every counter of both issues is
    recounted. The duplicate is closed as a duplicate and its page redirects. Both timelines
    and the moderation log record it. Both rows are locked first, and the target is checked
    again under the lock (two opposite merges at once cannot make a loop).
    """
    if duplicate.pk == into.pk:
        raise ValidationError(_("Choose another issue to merge into."))
    locked = {i.pk: i for i in Issue.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if into.merged_into_id or into.hidden or into.status == Issue.Status.CLOSED:
        raise ValidationError(_("Choose another issue to merge into: that one is closed, hidden or merged."))
    if duplicate.merged_into_id:
        raise ValidationError(_("This issue was already merged."))
    Vote.objects.filter(issue=duplicate, user__in=Vote.objects.filter(issue=into).values("user")).delete()
    Vote.objects.filter(issue=duplicate).update(issue=into)
    Follow.objects.filter(issue=duplicate, user__in=Follow.objects.filter(issue=into).values("user")).delete()
    Follow.objects.filter(issue=duplicate).update(issue=into)
    Comment.objects.filter(issue=duplicate).update(issue=into)
    for tally in OfflineTally.objects.filter(issue=duplicate):
        kept = OfflineTally.objects.filter(issue=into, event_id=tally.event_id).first()
        if kept:
            kept.votes += tally.votes
            kept.save(update_fields=["votes"])
            tally.delete()
        else:
            OfflineTally.objects.filter(pk=tally.pk).update(issue=into)
    for issue in (into, duplicate):
        _recount(issue)
    old_status = duplicate.status
    duplicate.merged_into = into
    duplicate.status, duplicate.close_reason = Issue.Status.CLOSED, Issue.CloseReason.DUPLICATE
    duplicate.save(update_fields=["merged_into", "status", "close_reason", "updated_at"])
    issue_story_add(issue=into, kind=IssueEvent.Kind.MERGED, actor=by, note=duplicate.title, target=duplicate)
    issue_story_add(  # the duplicate's last step; its followers moved over already
        issue=duplicate,
        target=into,
        kind=IssueEvent.Kind.STATUS,
        actor=by,
        old_status=old_status,
        new_status=Issue.Status.CLOSED,
        note=into.title,
        data={"status": Issue.Status.CLOSED},
    )
    _log(by=by, action=ModerationAction.Action.MERGE, issue=duplicate, reason=f"→ #{into.pk} {into.title}")
    trending_refresh()
    into.refresh_from_db()
    return into


def _recount(issue: Issue) -> None:
    """Set an issue's counters from its rows (after a merge moved them)."""
    Issue.objects.filter(pk=issue.pk).update(
        vote_count=Vote.objects.filter(issue=issue).count(),
        offline_vote_count=OfflineTally.objects.filter(issue=issue).aggregate(total=Sum("votes"))["total"] or 0,
        comment_count=Comment.objects.filter(issue=issue, removed=False, hidden=False).count(),
    )


@transaction.atomic
def event_registration_toggle(*, user, event: CommunityEvent) -> bool:
    """Register for a meetup, or cancel. Returns whether the user is registered now.

    The event row is locked while seats are counted, so two people cannot take the last one.
    """
    event = CommunityEvent.objects.select_for_update().get(pk=event.pk)
    deleted, _rows = EventRegistration.objects.filter(event=event, user=user).delete()
    if deleted:
        return False
    if event.ends_at < timezone.now():
        raise ValidationError(_("This meetup is over."))
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise ValidationError(_("This meetup is full."))
    EventRegistration.objects.create(event=event, user=user)
    return True


@transaction.atomic
def event_issue_record(
    *, facilitator, event: CommunityEvent, title: str, description: str, topic, district=None, paper_votes: int = 0
) -> Issue:
    """Record an issue raised in the room, on behalf of the participants, with its paper votes.

    Side effects: the issue is attributed to the meetup (and its facilitator), and its tally is set.
    """
    issue = issue_create(
        author=facilitator,
        title=title,
        description=description,
        topic=topic,
        district=district or event.district,
        language=translation.get_language()[:2] or "en",
    )
    Issue.objects.filter(pk=issue.pk).update(event=event)
    issue.event = event
    if paper_votes:
        tally_set(facilitator=facilitator, event=event, issue=issue, votes=paper_votes)
    return issue


# Paper votes are entered during a meetup or in the week after it, by its facilitators.
TALLY_WINDOW_BEFORE = timedelta(hours=2)
TALLY_WINDOW_AFTER = timedelta(days=7)


@transaction.atomic
def tally_set(*, facilitator, event: CommunityEvent, issue: Issue, votes: int) -> OfflineTally:
    """Set (not add) the paper votes an issue got at a meetup; the issue's offline count is their sum.

    Facilitators who are not organisers may only do it around the meetup's date and for at most
    as many votes as the room could hold (its capacity, or settings.OPENWALL_MAX_PAPER_VOTES).
    Every count goes on the issue's public timeline, with who entered it.
    """
    if votes < 0:
        raise ValidationError(_("A number of votes cannot be negative."))
    if not facilitator.has_perm("openwall.moderate"):
        now = timezone.now()
        if not event.starts_at - TALLY_WINDOW_BEFORE <= now <= event.ends_at + TALLY_WINDOW_AFTER:
            raise ValidationError(_("Paper votes are entered during the meetup or in the week after it."))
        limit = event.capacity or settings.OPENWALL_MAX_PAPER_VOTES
        if votes > limit:
            raise ValidationError(_("At most %(limit)s paper votes for this meetup.") % {"limit": limit})
    Issue.objects.select_for_update().filter(pk=issue.pk).first()
    tally, _created = OfflineTally.objects.update_or_create(
        event=event, issue=issue, defaults={"votes": votes, "recorded_by": facilitator}
    )
    total = OfflineTally.objects.filter(issue=issue).aggregate(total=Sum("votes"))["total"] or 0
    Issue.objects.filter(pk=issue.pk).update(offline_vote_count=total)
    issue_story_add(
        issue=issue,
        kind=IssueEvent.Kind.PAPER_VOTES,
        actor=facilitator,
        target=event,
        note=str(votes),
        data={"votes": votes},
    )
    return tally
