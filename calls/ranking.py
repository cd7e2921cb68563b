"""The ranking of a call's proposals from their submitted reviews: plain data in, rows out.

Each review gives one total: the weighted mean of its scores (0-5, weights of the criteria).
For each proposal:

- mean and median of its reviews' totals, and their number;
- spread: the standard deviation of those totals (population), the reviewers' disagreement;
- adjusted: each total is first standardised against its reviewer's own habits,
  z = (total - reviewer's mean) / reviewer's standard deviation (0 for a reviewer with one
  review, or who gave every proposal the same total), the proposal's z are averaged, and put
  back on the 0-5 scale with the mean and standard deviation of all totals of the call. A harsh
  reviewer's 3 and a generous one's 5 can then be the same opinion.

The proposals where reviewers disagree most (the top tenth by spread, at least one, and only
with a spread of 1 or more) are marked.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass

DISAGREEMENT_MIN = 1.0
DISAGREEMENT_SHARE = 0.1


@dataclass(frozen=True)
class Score:
    review: int
    reviewer: int
    proposal: int
    weight: int
    score: int


@dataclass
class Row:
    proposal: int
    reviews: int
    mean: float | None
    median: float | None
    spread: float | None
    adjusted: float | None
    disagreement: bool = False


def totals(scores: list[Score]) -> dict[int, tuple[int, int, float]]:
    """{review: (reviewer, proposal, weighted mean of its scores)}."""
    parts = defaultdict(lambda: [0, 0])
    owner = {}
    for score in scores:
        parts[score.review][0] += score.weight * score.score
        parts[score.review][1] += score.weight
        owner[score.review] = (score.reviewer, score.proposal)
    return {review: (*owner[review], weighted / weights) for review, (weighted, weights) in parts.items() if weights}


def rank(scores: list[Score], proposals: list[int]) -> list[Row]:
    """One row per proposal in `proposals` (those without a review too), best adjusted first."""
    reviewed = totals(scores)
    by_reviewer, by_proposal = defaultdict(list), defaultdict(list)
    for reviewer, _proposal, total in reviewed.values():
        by_reviewer[reviewer].append(total)
    habits = {
        reviewer: (statistics.fmean(values), statistics.pstdev(values) if len(values) > 1 else 0.0)
        for reviewer, values in by_reviewer.items()
    }
    for reviewer, proposal, total in reviewed.values():
        mean, deviation = habits[reviewer]
        by_proposal[proposal].append((total, (total - mean) / deviation if deviation else 0.0))
    everything = [total for _reviewer, _proposal, total in reviewed.values()]
    centre = statistics.fmean(everything) if everything else 0.0
    scale = statistics.pstdev(everything) if len(everything) > 1 else 0.0
    rows = []
    for proposal in proposals:
        pairs = by_proposal.get(proposal, [])
        if not pairs:
            rows.append(Row(proposal, 0, None, None, None, None))
            continue
        values = [total for total, _z in pairs]
        adjusted = centre + statistics.fmean(z for _total, z in pairs) * scale
        rows.append(
            Row(
                proposal=proposal,
                reviews=len(values),
                mean=statistics.fmean(values),
                median=statistics.median(values),
                spread=statistics.pstdev(values),
                adjusted=adjusted,
            )
        )
    spread = sorted((row for row in rows if row.spread is not None), key=lambda row: -row.spread)
    for row in spread[: max(1, round(len(spread) * DISAGREEMENT_SHARE))]:
        row.disagreement = row.spread >= DISAGREEMENT_MIN
    rows.sort(key=lambda row: (row.adjusted is None, -(row.adjusted or 0), row.proposal))
    return rows
