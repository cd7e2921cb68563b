"""Demo issues for `seed_demo`, with votes, discussion and meetups.

The texts are the city pack's (`civicnet/city/packs/demo/<pack>.json`, section "openwall"), or
the generic demo told in the loaded city's names (civicnet/city/demo.py).
"""

import random
from datetime import timedelta

from django.utils import timezone

from civicnet.accounts.models import Organisation, User
from civicnet.city.demo import demo_content
from civicnet.city.models import District, Topic
from civicnet.notifications.models import EmailPreference

from . import services
from .models import Issue, Meetup
from .notifications import OFFICIAL_ANSWER, REPLY, STATUS_CHANGED

VOTERS = 40


def _voters(names: dict):
    """Demo neighbours who vote and comment, named in turn in each of the pack's languages; they
    get no email (it would flood the console)."""
    patterns = list(names.values()) or ["Neighbour {n}"]
    voters = []
    for n in range(VOTERS):
        user, _created = User.objects.get_or_create(
            email=f"neighbour{n}@demo.civicnet.test",
            defaults={"display_name": patterns[n % len(patterns)].format(n=n)},
        )
        voters.append(user)
        for kind in (STATUS_CHANGED, OFFICIAL_ANSWER, REPLY):
            EmailPreference.objects.get_or_create(user=user, kind=kind.key, defaults={"frequency": "never"})
    return voters


def seed(*, users, stdout):
    """Idempotent: issues are matched by title; votes and comments are only added to new ones."""
    content = demo_content("openwall")
    if not content.get("issues"):
        stdout.write("Open Wall: this city pack ships no demo issues.")
        return
    comments, answers = content.get("comments", {}), content.get("official_answers", {})
    rng = random.Random(2026)  # noqa: S311 (the same demo every time; not security)
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    districts = {district.slug: district for district in District.objects.all()}
    authors = [users["citizen"], users["innovator"], users["partner"], users["reviewer"]]
    voters = _voters(content.get("neighbour_names", {}))
    now = timezone.now()
    created = 0
    for index, data in enumerate(content["issues"]):
        if Issue.objects.filter(title=data["title"]).exists():
            continue
        author = authors[index % len(authors)] if index % 3 else voters[index % VOTERS]
        issue = services.issue_create(
            author=author,
            title=data["title"],
            description=data["description"],
            topic=topics[data["topic"]],
            district=districts.get(data["district"]) if data["district"] else None,
            language=data["language"],
        )
        created += 1
        age = timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        Issue.objects.filter(pk=issue.pk).update(created_at=now - age)
        issue.story_steps.update(created_at=now - age)
        for voter in rng.sample(voters, rng.randint(0, 35)):
            services.vote_toggle(user=voter, issue=issue)
        said = comments.get(data["language"]) or []
        for _ in range(rng.randint(0, 4) if said else 0):
            comment = services.comment_create(author=rng.choice(voters), issue=issue, body=rng.choice(said))
            if rng.random() < 0.3:
                services.comment_create(author=rng.choice(authors), issue=issue, body=rng.choice(said), parent=comment)
    if created:
        _seed_meetups(rng, users, topics, districts, content.get("meetups", []))
        top = Issue.objects.ranked().first()
        if answer := answers.get(top.language):
            services.comment_create(author=users["organiser"], issue=top, body=answer, official=True)
        services.issue_status_set(issue=top, by=users["organiser"], status=Issue.Status.PRIORITISED)
    stdout.write(f"Open Wall: {created} demo issues added ({Issue.objects.count()} in all).")


def _seed_meetups(rng, users, topics, districts, meetups):
    """The pack's meetups, hosted by a community organisation the demo citizen runs (she
    facilitates them): past ones get paper votes for a few issues of their themes and the issue
    raised there."""
    facilitator = users["citizen"]
    host = Organisation.objects.filter(kind=Organisation.Kind.COMMUNITY, memberships__user=facilitator).first()
    if host is None:
        return
    evening = timezone.localtime().replace(hour=18, minute=30, second=0, microsecond=0)
    for data in meetups:
        starts_at = evening + timedelta(days=data["in_days"])
        meetup = Meetup.objects.create(
            title=data["title"],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=data.get("hours", 2)),
            address=data["address"],
            district=districts.get(data.get("district")),
            host=host,
            capacity=data.get("capacity"),
            description=data.get("description", ""),
        )
        themes = [topics[slug] for slug in data.get("topics", []) if slug in topics]
        meetup.topics.set(themes)
        if data["in_days"] >= 0:
            continue
        for issue in Issue.objects.filter(topic__in=themes).order_by("pk")[:4]:
            services.tally_set(facilitator=facilitator, meetup=meetup, issue=issue, votes=rng.randint(4, 25))
        if raised := data.get("raised_there"):
            services.meetup_issue_record(
                facilitator=facilitator,
                meetup=meetup,
                title=raised["title"],
                description=raised["description"],
                topic=topics[raised["topic"]],
                district=districts.get(raised.get("district")),
                paper_votes=raised.get("paper_votes", 0),
            )
