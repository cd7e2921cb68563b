"""Demo calls for `seed_demo`, from the city pack's demo content (section "calls"): each is
opened through the service, on the top issues of the wall, so that their stories show it."""

from datetime import timedelta

from django.utils import timezone

from civicnet.city.demo import demo_content
from openwall.models import Issue

from . import services
from .models import Call, ReviewCriterion


def seed(*, users, stdout):
    content = demo_content("calls").get("calls", [])
    if Call.objects.exists() or not content:
        stdout.write("Calls: nothing to add.")
        return
    top = list(Issue.objects.public().ranked()[:3])
    if not top:
        stdout.write("Calls: no issue to answer, no demo call.")
        return
    now, organiser = timezone.now(), users["organiser"]
    for data in content:
        call = Call.objects.create(
            title=data["title"],
            description=data["description"],
            opens_at=now + timedelta(days=data["opens_in_days"]),
            closes_at=now + timedelta(days=data["closes_in_days"]),
            eligibility=data.get("eligibility", ""),
            rewards=data.get("rewards", []),
            rewards_detail=data.get("rewards_detail", ""),
            proposals_per_organisation=data.get("proposals_per_organisation"),
            created_by=organiser,
        )
        call.issues.set(top[: data.get("issues", 3)])
        for order, criterion in enumerate(data["criteria"]):
            ReviewCriterion.objects.create(
                call=call,
                name=criterion["name"],
                description=criterion.get("description", ""),
                weight=criterion.get("weight", 1),
                order=order,
            )
        services.call_open(call=call, by=organiser)
    stdout.write(f"Calls: {len(content)} demo calls added.")
