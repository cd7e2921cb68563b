"""Who may do what with calls and proposals (django-rules predicates); the services check the
deadline and the states again, under a lock, whatever a view let through."""

import rules

from civicnet.accounts.models import Organisation
from civicnet.accounts.rules import is_organiser

from .models import Proposal


@rules.predicate
def is_proposal_member(user, proposal):
    """A member of the organisation the proposal is from (any role: the team writes it together)."""
    return proposal.organisation.role_of(user) is not None


@rules.predicate
def is_proposal_open_to_changes(user, proposal):
    return proposal.is_editable


@rules.predicate
def is_proposal_withdrawable(user, proposal):
    return proposal.state == Proposal.State.SUBMITTED and proposal.call.is_taking_proposals


@rules.predicate
def is_proposal_public(user, proposal):
    return proposal.state == Proposal.State.ACCEPTED and proposal.call.state == proposal.call.State.DECIDED


@rules.predicate
def innovates(user):
    """A member of a civic-innovator organisation: who answers calls."""
    return (
        user.is_authenticated
        and Organisation.objects.filter(kind=Organisation.Kind.CIVIC_INNOVATOR, memberships__user=user).exists()
    )


# The whole proposal: its team and the organisers; reviewers come with their assignments.
rules.add_perm("calls.read_proposal", is_proposal_member | is_organiser)
rules.add_perm("calls.edit_proposal", is_proposal_member & is_proposal_open_to_changes)
rules.add_perm("calls.withdraw_proposal", is_proposal_member & is_proposal_withdrawable)
rules.add_perm("calls.propose", innovates)


@rules.predicate
def is_its_reviewer(user, review):
    return user.is_authenticated and review.reviewer_id == user.pk


# A review: its reviewer writes it while the call is in review; organisers read every one.
rules.add_perm("calls.write_review", is_its_reviewer)
rules.add_perm("calls.rank_proposals", is_organiser)
