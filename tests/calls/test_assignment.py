"""Reviewer assignment (calls/assignment.py): a pure function, tested without a database."""

import io
import json
import random

from django.core.management import call_command

from calls.assignment import Assignment, Proposal, Reviewer, assign, greedy


def _loads(assignment: Assignment, reviewers) -> dict[int, int]:
    loads = {reviewer.id: 0 for reviewer in reviewers}
    for chosen in assignment.pairs.values():
        for reviewer_id in chosen:
            loads[reviewer_id] += 1
    return loads


def _conflicted(proposal, reviewer) -> bool:
    return (
        proposal.id in reviewer.conflicts
        or bool(reviewer.organisations & proposal.organisations)
        or bool(reviewer.conflicting_organisations & proposal.organisations)
    )


def test_every_proposal_gets_its_reviews_loads_within_one_and_no_conflict():
    rng = random.Random(7)
    proposals = [Proposal(id=n, organisations=frozenset({n % 9})) for n in range(61)]
    reviewers = [
        Reviewer(
            id=100 + n,
            organisations=frozenset({n % 9}) if n < 6 else frozenset(),
            conflicts=frozenset(rng.sample(range(61), 4)),
            conflicting_organisations=frozenset({(n + 3) % 9}) if n % 4 == 0 else frozenset(),
        )
        for n in range(13)
    ]
    result = assign(proposals, reviewers, per_proposal=3)
    assert all(len(result.pairs[p.id]) == 3 == len(set(result.pairs[p.id])) for p in proposals)
    loads = _loads(result, reviewers).values()
    assert sum(loads) == 183 and max(loads) - min(loads) <= 1  # 183 reviews over 13: 14 or 15 each
    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    assert not [(p.id, r) for p in proposals for r in result.pairs[p.id] if _conflicted(p, by_id[r])]


def test_greedy_overloads_where_the_optimum_does_not():
    """The case written down: proposal 1 may go to A or B, proposal 2 only to A (B belongs to
    its organisation). Taking proposals in turn, the least-loaded reviewer for 1 is A (tied, first
    by id); 2 then has only A, who ends with both and B with none. The optimum gives 1 to B."""
    proposals = [Proposal(id=1, organisations=frozenset({10})), Proposal(id=2, organisations=frozenset({20}))]
    reviewers = [Reviewer(id=1), Reviewer(id=2, organisations=frozenset({20}))]  # A, B
    assert greedy(proposals, reviewers, per_proposal=1).pairs == {1: [1], 2: [1]}
    assert assign(proposals, reviewers, per_proposal=1).pairs == {1: [2], 2: [1]}


def test_a_proposal_nobody_may_review_stays_short_and_the_others_are_served():
    proposals = [Proposal(id=1, organisations=frozenset({5})), Proposal(id=2), Proposal(id=3)]
    reviewers = [Reviewer(id=1, organisations=frozenset({5})), Reviewer(id=2, conflicts=frozenset({1}))]
    assert assign(proposals, reviewers, per_proposal=2).pairs == {1: [], 2: [1, 2], 3: [1, 2]}


def test_known_themes_are_preferred_but_never_over_an_even_load():
    housing, health = frozenset({"housing"}), frozenset({"health"})
    reviewers = [Reviewer(id=1, themes=housing), Reviewer(id=2, themes=health)]
    one = [Proposal(id=1, themes=health)]
    assert assign(one, reviewers, per_proposal=1).pairs == {1: [2]}  # the one who knows health
    two = [Proposal(id=1, themes=housing), Proposal(id=2, themes=housing)]
    assert assign(two, reviewers, per_proposal=1).pairs in ({1: [1], 2: [2]}, {1: [2], 2: [1]})  # one each


def test_conflicts_beat_an_even_load():
    """When the conflicts leave no even way, every proposal is still reviewed, by whoever may."""
    proposals = [Proposal(id=n, organisations=frozenset({1})) for n in range(4)]
    reviewers = [Reviewer(id=1), Reviewer(id=2, organisations=frozenset({1}))]
    assert assign(proposals, reviewers, per_proposal=1).pairs == {0: [1], 1: [1], 2: [1], 3: [1]}


def test_the_benchmark_prints_one_json_line_with_both_solutions():
    out = io.StringIO()
    call_command(
        "bench_review_assignment", "--proposals", "120", "--reviewers", "17", "--per-proposal", "3", stdout=out
    )
    line = json.loads(out.getvalue().splitlines()[-1])
    assert (line["assigned"], line["required"], line["conflicts_violated"]) == (360, 360, 0)
    assert line["max_load"] - line["min_load"] <= 1
    assert set(line["greedy"]) == {"seconds", "assigned", "required", "short_proposals", "max_load", "min_load",
                                   "conflicts_violated", "theme_matches"}  # fmt: skip
    assert line["greedy"]["max_load"] - line["greedy"]["min_load"] > 1  # the late cluster of conflicts


def test_a_proposal_nobody_may_review_does_not_unbalance_the_others():
    """The even share is of the reviews that can be given: 4 reviewers, 2 reviews each for 3
    proposals (the fourth has no one): 6 reviews, so loads of 2, 2, 1, 1 and never 2, 2, 2, 0."""
    reviewers = [Reviewer(id=n, organisations=frozenset({9})) for n in range(4)]
    proposals = [Proposal(id=n) for n in range(3)] + [Proposal(id=3, organisations=frozenset({9}))]
    loads = sorted(_loads(assign(proposals, reviewers, per_proposal=2), reviewers).values())
    assert loads == [1, 1, 2, 2]


def test_loads_forced_apart_by_conflicts_stay_as_close_as_they_can():
    """One reviewer of three may review nothing: the other two share the eight proposals 4 and 4."""
    proposals = [Proposal(id=n, organisations=frozenset({1})) for n in range(8)]
    reviewers = [Reviewer(id=1), Reviewer(id=2), Reviewer(id=3, organisations=frozenset({1}))]
    assert _loads(assign(proposals, reviewers, per_proposal=1), reviewers) == {1: 4, 2: 4, 3: 0}


def test_two_rows_with_one_id_are_refused():
    import pytest

    with pytest.raises(ValueError, match="two reviewers have the same id"):
        assign([Proposal(id=1)], [Reviewer(id=5), Reviewer(id=5)], per_proposal=1)
