"""Issues, their story, follows and votes: raising, editing, voting, telling followers."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from civicnet import pagecache
from civicnet.markdown import excerpt, markdown_render
from civicnet.notifications.services import notify
from civicnet.tasks import enqueue
from civicnet.uploads import image_store

from .. import story
from ..models import (
    Comment,
    Follow,
    Issue,
    StoryStep,
    Vote,
)


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
    notify_after: int = 0,
) -> StoryStep:
    """Add a step to an issue's public story: the one way any app writes it.

    `kind` must be registered (openwall/story.py); `target` is the object the step is about, in
    any app; `data` is what its template and its notification need, stored with the step;
    `notify_data` what only the notification needs (a person's name). Side effects: the issue's
    page is refreshed (its cached copy dropped), and when the kind names a notification, the
    issue's followers but `actor` are told, from a task after commit, once per step and person;
    `notify_after` seconds later when the change may still be undone (the step deleted meanwhile:
    nobody is told).
    """
    step_kind = story.get(kind)
    if step_kind is None:
        raise ValueError(f"Unknown story step kind {kind!r}: register it in openwall.story first.")
    step = StoryStep.objects.create(
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
            step_id=step.pk,
            countdown=notify_after,
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
def issue_create(
    *,
    author,
    title: str,
    description: str,
    topic,
    language: str,
    district=None,
    photo=None,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Issue:
    """Raise an issue. Side effects: photo re-encoded without metadata, a 'raised' story step, author follows it."""
    html = markdown_render(description)
    photo_name, photo_sizes = image_store(Issue._meta.get_field("photo"), photo) if photo else ("", [])
    issue = Issue.objects.create(
        author=author,
        title=title,
        description=description,
        description_html=html,
        excerpt=excerpt(html),
        topic=topic,
        district=district,
        language=language,
        photo=photo_name,
        photo_sizes=photo_sizes,
        address=address,
        latitude=latitude,
        longitude=longitude,
    )
    issue_story_add(issue=issue, kind=StoryStep.Kind.RAISED, actor=author)
    follow_ensure(user=author, issue=issue)
    return issue


@transaction.atomic
def issue_update(
    *,
    issue: Issue,
    by,
    title: str,
    description: str,
    topic,
    district=None,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Issue:
    """Edit the text while it is still editable (rechecked under a row lock: a vote may have just landed)."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if not by.has_perm("openwall.edit_issue", locked):
        raise PermissionDenied(_("This issue can no longer be edited."))
    locked.title, locked.description, locked.topic, locked.district = title, description, topic, district
    locked.address, locked.latitude, locked.longitude = address, latitude, longitude
    # The text changed: its translations no longer say the same, they wait to be looked at again.
    locked.translations.filter(status="accepted").update(status="proposed", accepted_by=None, accepted_at=None)
    locked.translated_text = ""
    locked.description_html = markdown_render(description)
    locked.excerpt = excerpt(locked.description_html)
    fields = ["title", "description", "description_html", "excerpt", "topic", "district", "address", "latitude"]
    fields += ["longitude", "translated_text", "updated_at"]
    locked.save(update_fields=fields)
    return locked


def votes_erase(*, user) -> None:
    """Remove a person's votes (their account is being deleted), each issue's count going down
    with them: one grouped UPDATE per issue."""
    votes = Vote.objects.filter(user=user)
    for row in votes.values("issue_id").annotate(n=models.Count("id")):
        issue_id = row["issue_id"]
        Issue.objects.filter(pk=issue_id).update(vote_count=Greatest(F("vote_count") - row["n"], 0))
        pagecache.invalidate(f"issue:{issue_id}")
        pagecache.live_changed("votes", issue_id)
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


def _notify_followers(
    *, issue: Issue, kind: str, actor, data: dict, key: str, step_id: int | None = None, countdown: int = 0
) -> None:
    """Tell the followers from a task once this transaction commits: a popular issue has thousands,
    and the row lock of the change that triggered it must not wait for them."""
    # Nothing else records that followers are owed a message: with the broker down, tell them now.
    enqueue(
        "openwall.notify_followers",
        inline_if_broker_down=True,
        countdown=countdown,
        issue_id=issue.pk,
        kind=kind,
        actor_id=actor.pk if actor else None,
        data=data,
        key=key,
        step_id=step_id,
    )


def followers_notify(
    *, issue_id: int, kind: str, actor_id: int | None, data: dict, key: str, step_id: int | None = None
) -> int:
    """Notify every follower of an issue but the person who acted. Returns how many were told.

    `key` names the change (a status step, an answer): run twice, the emails go once per person.
    With `step_id`, nobody is told once that step is gone (the change was undone).
    """
    if step_id is not None:
        with transaction.atomic():  # under the step's lock: an undo either came first or is refused
            step = StoryStep.objects.select_for_update().filter(pk=step_id).first()
            if step is None:
                return 0
            step.data = {**step.data, "told": True}
            step.save(update_fields=["data"])
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
