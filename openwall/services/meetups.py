"""Weekly meetups: registration, issues raised in the room, paper votes."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicnet import pagecache

from ..models import (
    Issue,
    Meetup,
    MeetupRegistration,
    OfflineTally,
    StoryStep,
)
from .issues import issue_create, issue_story_add


@transaction.atomic
def meetup_registration_toggle(*, user, meetup: Meetup) -> bool:
    """Register for a meetup, or cancel. Returns whether the user is registered now.

    The meetup's row is locked while seats are counted, so two people cannot take the last one.
    """
    meetup = Meetup.objects.select_for_update().get(pk=meetup.pk)
    deleted, _rows = MeetupRegistration.objects.filter(meetup=meetup, user=user).delete()
    if deleted:
        return False
    if meetup.ends_at < timezone.now():
        raise ValidationError(_("This meetup is over."))
    if meetup.capacity is not None and meetup.registrations.count() >= meetup.capacity:
        raise ValidationError(_("This meetup is full."))
    MeetupRegistration.objects.create(meetup=meetup, user=user)
    return True


@transaction.atomic
def meetup_issue_record(
    *,
    facilitator,
    meetup: Meetup,
    title: str,
    description: str,
    topic,
    district=None,
    address: str = "",
    paper_votes: int = 0,
) -> Issue:
    """Record an issue raised in the room, on behalf of the participants, with its paper votes.

    Side effects: the issue is attributed to the meetup (and its facilitator), and its tally is set.
    """
    issue = issue_create(
        author=facilitator,
        title=title,
        description=description,
        topic=topic,
        district=district or meetup.district,
        address=address,
        language=translation.get_language()[:2] or "en",
    )
    Issue.objects.filter(pk=issue.pk).update(meetup=meetup)
    issue.meetup = meetup
    if paper_votes:
        tally_set(facilitator=facilitator, meetup=meetup, issue=issue, votes=paper_votes)
    return issue


@transaction.atomic
def meetup_attendance_set(*, facilitator, meetup: Meetup, attendance: int) -> None:
    """Record how many people came, once the meetup has started (a facilitator may correct it later)."""
    if meetup.starts_at > timezone.now():
        raise ValidationError(_("Count the people who came once the meetup has started."))
    if attendance < 0:
        raise ValidationError(_("A number of people cannot be negative."))
    meetup.attendance = attendance
    meetup.save(update_fields=["attendance"])  # the meetup's pages are dropped (OpenWallConfig.page_cache)


# Paper votes are entered during a meetup or in the week after it, by its facilitators.
TALLY_WINDOW_BEFORE = timedelta(hours=2)


TALLY_WINDOW_AFTER = timedelta(days=7)


@transaction.atomic
def tally_set(*, facilitator, meetup: Meetup, issue: Issue, votes: int) -> OfflineTally:
    """Set (not add) the paper votes an issue got at a meetup; the issue's offline count is their sum.

    Facilitators who are not organisers may only do it around the meetup's date and for at most
    as many votes as the room could hold (its capacity, or settings.OPENWALL_MAX_PAPER_VOTES).
    Every count goes on the issue's public timeline, with who entered it.
    """
    if votes < 0:
        raise ValidationError(_("A number of votes cannot be negative."))
    if not facilitator.has_perm("openwall.moderate"):
        now = timezone.now()
        if not meetup.starts_at - TALLY_WINDOW_BEFORE <= now <= meetup.ends_at + TALLY_WINDOW_AFTER:
            raise ValidationError(_("Paper votes are entered during the meetup or in the week after it."))
        limit = meetup.capacity or settings.OPENWALL_MAX_PAPER_VOTES
        if votes > limit:
            raise ValidationError(_("At most %(limit)s paper votes for this meetup.") % {"limit": limit})
    Issue.objects.select_for_update().filter(pk=issue.pk).first()
    tally, _created = OfflineTally.objects.update_or_create(
        meetup=meetup, issue=issue, defaults={"votes": votes, "recorded_by": facilitator}
    )
    total = OfflineTally.objects.filter(issue=issue).aggregate(total=Sum("votes"))["total"] or 0
    Issue.objects.filter(pk=issue.pk).update(offline_vote_count=total)
    pagecache.live_changed("votes", issue.pk)
    issue_story_add(
        issue=issue,
        kind=StoryStep.Kind.PAPER_VOTES,
        actor=facilitator,
        target=meetup,
        note=str(votes),
        data={"votes": votes},
    )
    return tally
