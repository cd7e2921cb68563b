"""For `make bench`: render this week's digest for 10,000 readers, then roll everything back.
Prints JSON: emails, seconds, peak memory of the process."""

import json
import random
import resource
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from civicnet.accounts.models import User
from civicnet.notifications.digest import digest_send_all
from openwall.models import Follow, Issue

READERS = 10_000


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the weekly digest for 10,000 readers (benchmark data only; changes nothing)."

    def handle(self, *args, **options):
        rng = random.Random(7)  # noqa: S311 (benchmark data, not security)
        result = {}
        try:
            with transaction.atomic():
                readers = list(User.objects.filter(email__endswith="@scale.civicnet.test").order_by("pk")[:READERS])
                busy = list(Issue.objects.public().filter(trend_score__gt=0).values_list("pk", flat=True)[:2000])
                Follow.objects.filter(user__in=readers).delete()
                Follow.objects.bulk_create(
                    [Follow(user=user, issue_id=issue) for user in readers for issue in rng.sample(busy, 5)],
                    ignore_conflicts=True,
                    batch_size=10_000,
                )
                started = time.perf_counter()
                emails = digest_send_all()
                result = {
                    "emails": emails,
                    "seconds": time.perf_counter() - started,
                    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                }
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(json.dumps(result))
