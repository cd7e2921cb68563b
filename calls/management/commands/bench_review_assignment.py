"""A random reviewer-assignment instance with conflicts, solved by the optimiser and by the
greedy baseline; one JSON line at the end (docs/benchmarks.md)."""

import json
import random
import time

from django.core.management.base import BaseCommand, CommandError

from calls.assignment import Proposal, Reviewer, assign, figures, greedy

THEMES = 9


def instance(*, proposals: int, reviewers: int, organisations: int, seed: int):
    """Proposals from `organisations` innovators, the last fifth of them from one large one (a
    university, say) that a fifth of the reviewers belong to: conflicts come in clusters, and
    they come late, which is where taking each proposal in turn goes wrong. Of the other
    reviewers, one in ten belongs to another organisation and one in ten declared conflicts with
    a few proposals; each knows two or three themes. The proposals' themes are skewed (a few
    themes are popular), as a call's are."""
    rng = random.Random(seed)  # noqa: S311 (a benchmark instance, not a secret)
    popular = [theme for theme in range(THEMES) for _ in range(THEMES - theme)]
    large = 0
    proposal_rows = [
        Proposal(
            id=n,
            organisations=frozenset({large if n >= proposals * 0.8 else 1 + rng.randrange(organisations)}),
            themes=frozenset(rng.sample(popular, 2)),
        )
        for n in range(proposals)
    ]
    reviewer_rows = []
    for n in range(reviewers):
        if n < reviewers * 0.2:
            member = frozenset({large})
        else:
            member = frozenset({1 + rng.randrange(organisations)}) if rng.random() < 0.1 else frozenset()
        conflicts = frozenset(rng.sample(range(proposals), 5)) if rng.random() < 0.1 else frozenset()
        knows = frozenset(rng.sample(range(THEMES), rng.randint(2, 3)))
        reviewer_rows.append(Reviewer(id=n, organisations=member, conflicts=conflicts, themes=knows))
    return proposal_rows, reviewer_rows


class Command(BaseCommand):
    help = "Benchmark the reviewer assignment against a greedy baseline on a random instance."

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=2000)
        parser.add_argument("--reviewers", type=int, default=200)
        parser.add_argument("--per-proposal", type=int, default=3)
        parser.add_argument("--organisations", type=int, default=400)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, proposals, reviewers, per_proposal, organisations, seed, **options):
        if proposals < 1 or reviewers < 1 or per_proposal < 1 or organisations < 1:
            raise CommandError("--proposals, --reviewers, --per-proposal and --organisations must be at least 1.")
        rows = instance(proposals=proposals, reviewers=reviewers, organisations=organisations, seed=seed)
        result = {"proposals": proposals, "reviewers": reviewers, "per_proposal": per_proposal}
        for name, solve in (("optimal", assign), ("greedy", greedy)):
            started = time.perf_counter()
            assignment = solve(*rows, per_proposal=per_proposal)
            seconds = round(time.perf_counter() - started, 3)
            measured = {"seconds": seconds, **figures(*rows, assignment, per_proposal=per_proposal)}
            self.stdout.write(f"{name:>8}: " + ", ".join(f"{key} {value}" for key, value in measured.items()))
            result[name] = measured
        # The optimum's figures at the top level, the baseline's beside them: one line, comparable run to run.
        optimal = result.pop("optimal")
        self.stdout.write(json.dumps({**result, **optimal, "greedy": result.pop("greedy")}))
