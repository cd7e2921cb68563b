"""Demo issues for `seed_demo`: about sixty, in three languages, with votes and discussion."""

import random
from datetime import timedelta

from django.utils import timezone

from civicnet.accounts.models import Organisation, User
from civicnet.city.models import District, Topic
from civicnet.notifications.models import EmailPreference

from . import services
from .demo_data import COMMENTS, ISSUES, OFFICIAL_ANSWERS
from .models import Issue, Meetup
from .notifications import OFFICIAL_ANSWER, REPLY, STATUS_CHANGED

VOTERS = 40


def _voters():
    """Demo neighbours who vote and comment; they get no email (it would flood the console)."""
    voters = []
    for n in range(VOTERS):
        user, _created = User.objects.get_or_create(
            email=f"neighbour{n}@demo.civicnet.test",
            defaults={
                "display_name": f"Voisin·e {n}" if n % 3 == 0 else f"Buur {n}" if n % 3 == 1 else f"Neighbour {n}"
            },
        )
        voters.append(user)
        for kind in (STATUS_CHANGED, OFFICIAL_ANSWER, REPLY):
            EmailPreference.objects.get_or_create(user=user, kind=kind.key, defaults={"frequency": "never"})
    return voters


def seed(*, users, stdout):
    """Idempotent: issues are matched by title; votes and comments are only added to new ones."""
    rng = random.Random(2026)  # noqa: S311 (the same demo every time; not security)
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    districts = {district.slug: district for district in District.objects.all()}
    authors = [users["citizen"], users["innovator"], users["partner"], users["reviewer"]]
    voters = _voters()
    now = timezone.now()
    created = 0
    for index, data in enumerate(ISSUES):
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
        for _ in range(rng.randint(0, 4)):
            comment = services.comment_create(
                author=rng.choice(voters), issue=issue, body=rng.choice(COMMENTS[data["language"]])
            )
            if rng.random() < 0.3:
                services.comment_create(
                    author=rng.choice(authors), issue=issue, body=rng.choice(COMMENTS[data["language"]]), parent=comment
                )
    if created:
        _seed_meetups(rng, users, topics, districts)
        top = Issue.objects.ranked().first()
        services.comment_create(
            author=users["organiser"], issue=top, body=OFFICIAL_ANSWERS[top.language], official=True
        )
        services.issue_status_set(issue=top, by=users["organiser"], status=Issue.Status.PRIORITISED)
    stdout.write(f"Open Wall: {created} demo issues added ({Issue.objects.count()} in all).")


def _seed_meetups(rng, users, topics, districts):
    """Two meetups in the Marolles: last week's, with paper votes, and next week's."""
    host = Organisation.objects.filter(kind=Organisation.Kind.COMMUNITY).first()
    if host is None:
        return
    now = timezone.localtime()
    evening = now.replace(hour=18, minute=30, second=0, microsecond=0)
    past = Meetup.objects.create(
        title="Open Wall des Marolles",
        starts_at=evening - timedelta(days=6),
        ends_at=evening - timedelta(days=6, hours=-2),
        address="Rue Haute 298, 1000 Bruxelles",
        district=districts.get("bruxelles"),
        host=host,
        capacity=40,
        description="Chaque semaine, on affiche les problèmes du quartier et on vote. Café offert.",
    )
    past.topics.set([topics["urbanism"], topics["culture"], topics["consumption"]])
    upcoming = Meetup.objects.create(
        title="Open Muur Marollen / Mur ouvert",
        starts_at=evening + timedelta(days=1),
        ends_at=evening + timedelta(days=1, hours=2),
        address="Rue Haute 298, 1000 Bruxelles",
        district=districts.get("bruxelles"),
        host=host,
        capacity=30,
        description="Tweetalige bijeenkomst: breng uw buren mee. Réunion bilingue : venez avec vos voisins.",
    )
    upcoming.topics.set([topics["urbanism"], topics["healthcare"]])
    facilitator = users["citizen"]  # administers the hosting house in the demo
    for issue in Issue.objects.filter(topic__slug__in=["urbanism", "culture", "consumption"]).order_by("pk")[:4]:
        services.tally_set(facilitator=facilitator, meetup=past, issue=issue, votes=rng.randint(4, 25))
    services.meetup_issue_record(
        facilitator=facilitator,
        meetup=past,
        title="Plus de bancs sur la place du Jeu de Balle",
        description="Les personnes âgées n'ont nulle part où s'asseoir pendant le marché aux puces.",
        topic=topics["urbanism"],
        district=districts.get("bruxelles"),
        paper_votes=18,
    )
