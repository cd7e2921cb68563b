"""Reviewer assignment: every proposal gets its reviews, the load is even, conflicts are never broken.

Plain data in, plain data out, no database: the review pages, the tests and
`manage.py bench_review_assignment` call the same function. It is a minimum-cost flow (OR-Tools,
the one solver the project uses for its three optimisation problems, docs/architecture.md):

    source ──N──▶ proposal ──1──▶ reviewer it may have ──▶ sink

A proposal sends its N reviews to reviewers it has no conflict with: no member of its
organisation, nobody who declared a conflict with it or with its organisation. Each reviewer's
way to the sink is in parts, cheapest first: up to the even share of the reviews that can be
given, rounded down (strongly rewarded), one more (free), then each further review dearer than
the last (used only when conflicts leave no other way to review every proposal, and then spread
as evenly as they allow). A reviewer who knows one of the proposal's themes earns a small reward.
The flow is as large as it can be (every review that can be given is given), then
as cheap as it can be: so, in order, every proposal fully reviewed where anyone may review it,
loads within one of each other where the conflicts allow it, then as many theme matches as can be.

`greedy` is the baseline beside it (each proposal in turn takes the least-loaded reviewers it may
have), so that the benchmark can say what the optimum is worth.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow

THEME = 1  # the reward for a reviewer who knows one of the proposal's themes
# Beyond the share plus one, the k-th further review of a reviewer costs k times the penalty, up
# to this many (then all the same): loads that conflicts force apart stay as close as they can.
OVERLOAD_STEPS = 16


@dataclass(frozen=True)
class Proposal:
    id: int
    organisations: frozenset = frozenset()  # the organisation that submitted it (one, in practice)
    themes: frozenset = frozenset()


@dataclass(frozen=True)
class Reviewer:
    id: int
    organisations: frozenset = frozenset()  # those they are a member of
    conflicts: frozenset = frozenset()  # proposal ids they declared a conflict with
    conflicting_organisations: frozenset = frozenset()  # organisations they declared a conflict with
    themes: frozenset = frozenset()  # the themes they said they know

    def may_review(self, proposal: Proposal) -> bool:
        return not (
            proposal.id in self.conflicts
            or self.organisations & proposal.organisations
            or self.conflicting_organisations & proposal.organisations
        )


@dataclass
class Assignment:
    pairs: dict[int, list[int]] = field(default_factory=dict)  # proposal id -> reviewer ids

    def loads(self, reviewers: Iterable[Reviewer]) -> dict[int, int]:
        loads = {reviewer.id: 0 for reviewer in reviewers}
        for chosen in self.pairs.values():
            for reviewer_id in chosen:
                loads[reviewer_id] += 1
        return loads


def assign(proposals: list[Proposal], reviewers: list[Reviewer], *, per_proposal: int) -> Assignment:
    """The optimal assignment (see the module's docstring for what optimal means, in order)."""
    for kind, rows in (("proposal", proposals), ("reviewer", reviewers)):
        if len({row.id for row in rows}) != len(rows):
            raise ValueError(f"two {kind}s have the same id")
    if not proposals or not reviewers or per_proposal < 1:
        return Assignment({proposal.id: [] for proposal in proposals})
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    proposal_node = {proposal.id: 2 + index for index, proposal in enumerate(proposals)}
    reviewer_node = {reviewer.id: 2 + len(proposals) + index for index, reviewer in enumerate(reviewers)}
    eligible = {proposal.id: [r for r in reviewers if r.may_review(proposal)] for proposal in proposals}
    # The even share of the reviews that can be given (a proposal nobody may review gives none).
    possible = sum(min(per_proposal, len(eligible[proposal.id])) for proposal in proposals)
    share = possible // len(reviewers)
    # Above every sum of theme rewards, so that an even load always wins over a theme.
    even = penalty = possible * THEME + 1
    for proposal in proposals:
        flow.add_arc_with_capacity_and_unit_cost(source, proposal_node[proposal.id], per_proposal, 0)
    pair_arcs = {}
    for proposal in proposals:
        for reviewer in eligible[proposal.id]:
            cost = -THEME if reviewer.themes & proposal.themes else 0
            arc = flow.add_arc_with_capacity_and_unit_cost(
                proposal_node[proposal.id], reviewer_node[reviewer.id], 1, cost
            )
            pair_arcs[arc] = (proposal.id, reviewer.id)
    for reviewer in reviewers:
        node = reviewer_node[reviewer.id]
        if share:
            flow.add_arc_with_capacity_and_unit_cost(node, sink, share, -even)
        flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, 0)
        for step in range(1, OVERLOAD_STEPS):
            flow.add_arc_with_capacity_and_unit_cost(node, sink, 1, step * penalty)
        flow.add_arc_with_capacity_and_unit_cost(node, sink, len(proposals), OVERLOAD_STEPS * penalty)
    required = len(proposals) * per_proposal
    flow.set_node_supply(source, required)
    flow.set_node_supply(sink, -required)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the assignment flow did not solve (status {status})")
    pairs = {proposal.id: [] for proposal in proposals}
    for arc, (proposal_id, reviewer_id) in pair_arcs.items():
        if flow.flow(arc):
            pairs[proposal_id].append(reviewer_id)
    return Assignment({proposal_id: sorted(chosen) for proposal_id, chosen in pairs.items()})


def greedy(proposals: list[Proposal], reviewers: list[Reviewer], *, per_proposal: int) -> Assignment:
    """The baseline: each proposal in turn takes the least-loaded reviewers it may have (those who
    know one of its themes first among equals, then by id)."""
    loads = {reviewer.id: 0 for reviewer in reviewers}
    pairs = {}
    for proposal in proposals:
        eligible = [reviewer for reviewer in reviewers if reviewer.may_review(proposal)]
        eligible.sort(key=lambda r: (loads[r.id], not (r.themes & proposal.themes), r.id))
        chosen = [reviewer.id for reviewer in eligible[:per_proposal]]
        for reviewer_id in chosen:
            loads[reviewer_id] += 1
        pairs[proposal.id] = sorted(chosen)
    return Assignment(pairs)


def figures(proposals: list[Proposal], reviewers: list[Reviewer], assignment: Assignment, *, per_proposal: int) -> dict:
    """What an assignment is worth, as the benchmark prints it."""
    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    loads = assignment.loads(reviewers).values()
    proposal_of = {proposal.id: proposal for proposal in proposals}
    return {
        "assigned": sum(len(chosen) for chosen in assignment.pairs.values()),
        "required": len(proposals) * per_proposal,
        "short_proposals": sum(1 for chosen in assignment.pairs.values() if len(chosen) < per_proposal),
        "max_load": max(loads, default=0),
        "min_load": min(loads, default=0),
        "conflicts_violated": sum(
            1
            for proposal_id, chosen in assignment.pairs.items()
            for reviewer_id in chosen
            if not by_id[reviewer_id].may_review(proposal_of[proposal_id])
        ),
        "theme_matches": sum(
            1
            for proposal_id, chosen in assignment.pairs.items()
            for reviewer_id in chosen
            if by_id[reviewer_id].themes & proposal_of[proposal_id].themes
        ),
    }
