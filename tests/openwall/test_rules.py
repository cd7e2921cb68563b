"""Each rule is written once: the row's property, the queryset and the permission agree."""

import pytest

from openwall.models import Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_state(city):
    keep = IssueFactory(title="Kept")
    return {
        "open": IssueFactory(title="Open"),
        "prioritised": IssueFactory(title="Prioritised", status="prioritised"),
        "closed": IssueFactory(title="Closed", status="closed"),
        "hidden": IssueFactory(title="Hidden", hidden=True),
        "merged": IssueFactory(title="Merged", merged_into=keep, status="closed"),
        "kept": keep,
    }


def test_open_for_discussion_is_one_rule(every_state, citizen):
    by_property = {name for name, issue in every_state.items() if issue.is_open_for_discussion}
    by_query = {issue.title.lower() for issue in Issue.objects.open_for_discussion()}
    by_permission = {name for name, issue in every_state.items() if citizen.has_perm("openwall.vote", issue)}
    assert by_property == by_query == by_permission == {"open", "prioritised", "kept"}


def test_what_each_person_may_open(every_state, citizen, organiser):
    def titles(queryset):
        return {issue.title.lower() for issue in queryset}

    assert titles(Issue.objects.visible_to(citizen)) == {"open", "prioritised", "closed", "kept"}
    assert titles(Issue.objects.visible_to(citizen, merged=True)) == {"open", "prioritised", "closed", "kept", "merged"}
    assert titles(Issue.objects.visible_to(organiser)) == set(every_state)
