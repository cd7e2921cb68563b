"""The Open Wall's part of a person's profile (civicnet.phases.ProfileSection): the issues they
raised, voted for and follow, and the meetups they registered for, each linking to its page."""

from civicnet.phases import ProfileSection

from .models import Issue, Meetup

SHOWN = 20  # the most recent of each; the person's data download has them all


def context(user) -> dict:
    public = Issue.objects.public().only("id", "title", "status", "created_at")
    return {
        "raised": list(public.filter(author=user).order_by("-created_at", "-id")[:SHOWN]),
        "voted": list(public.filter(votes__user=user).order_by("-votes__created_at", "-id")[:SHOWN]),
        "followed": list(public.filter(follows__user=user).order_by("-follows__created_at", "-id")[:SHOWN]),
        "meetups": list(
            Meetup.objects.published()
            .filter(registrations__user=user)
            .only("id", "title", "starts_at")
            .order_by("-starts_at", "-id")[:SHOWN]
        ),
        "shown": SHOWN,
    }


SECTION = ProfileSection(template="openwall/_profile.html", context=context)
