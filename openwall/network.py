"""The Open Wall's line on the network page: the meetups each organisation has hosted."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import ngettext

from .models import Meetup


def activity(organisations) -> dict[int, list[str]]:
    """{organisation id: ["Hosted 12 Open Wall meetups"]}, one query for all of them."""
    held = Q(ends_at__lt=timezone.now())
    counts = (
        Meetup.objects.published()
        .filter(host__in=[organisation.pk for organisation in organisations])
        .values("host")
        .annotate(held=Count("pk", filter=held), coming=Count("pk", filter=~held))
    )
    activity = {}
    for row in counts:
        sentences = []
        if row["held"]:
            sentences.append(
                ngettext("Hosted %(count)s Open Wall meetup", "Hosted %(count)s Open Wall meetups", row["held"])
                % {"count": row["held"]}
            )
        if row["coming"]:
            sentences.append(
                ngettext("%(count)s meetup coming", "%(count)s meetups coming", row["coming"])
                % {"count": row["coming"]}
            )
        activity[row["host"]] = sentences
    return activity
