"""Review: reviewers assigned by the optimiser (conflicts held), their queue and their review of
one proposal, anonymised when the call says so; the organisers' ranking, checked by hand."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls import ranking, services
from calls.models import Call, CallReviewer, Review, ReviewConflict, ReviewCriterion
from tests.conftest import superuser_login
from tests.factories import (
    CallFactory,
    IssueFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    pdf_upload,
    proposal_make,
)

pytestmark = pytest.mark.django_db


# The ranking, against numbers worked out by hand --------------------------------------------------


def test_the_ranking_is_right_for_a_hand_computed_example():
    """Two criteria weighted 2 and 1. Reviewer 10 is harsh, reviewer 20 generous:

    totals   P1   P2   P3            (review total: (2*c1 + c2) / 3)
    10       2    1    3 (c1 4, c2 1: (8+1)/3 = 3)     mean 2, sd sqrt(2/3) = 0.8165
    20       5    4    3                              mean 4, sd 0.8165
    z(10)    0   -1.2247  1.2247
    z(20)    1.2247  0  -1.2247
    mean z   0.6124  -0.6124  0
    all six totals: mean 3, sd sqrt(10/6) = 1.2910
    adjusted = 3 + mean z * 1.2910: P1 3.7906, P2 2.2094, P3 3.0000
    """

    def review(number, reviewer, proposal, c1, c2):
        return [ranking.Score(number, reviewer, proposal, 2, c1), ranking.Score(number, reviewer, proposal, 1, c2)]

    scores = [
        *review(1, 10, 1, 2, 2),
        *review(2, 10, 2, 1, 1),
        *review(3, 10, 3, 4, 1),
        *review(4, 20, 1, 5, 5),
        *review(5, 20, 2, 4, 4),
        *review(6, 20, 3, 3, 3),
    ]
    rows = {row.proposal: row for row in ranking.rank(scores, [1, 2, 3, 4])}
    assert [row.proposal for row in ranking.rank(scores, [1, 2, 3, 4])] == [1, 3, 2, 4]
    assert (rows[1].mean, rows[1].median, rows[1].spread, rows[1].reviews) == (3.5, 3.5, 1.5, 2)
    assert (rows[2].mean, rows[3].mean, rows[3].spread) == (2.5, 3.0, 0.0)
    assert round(rows[1].adjusted, 4) == 3.7906
    assert round(rows[2].adjusted, 4) == 2.2094
    assert round(rows[3].adjusted, 4) == 3.0
    assert (rows[4].reviews, rows[4].adjusted) == (0, None)
    # The most disagreed-upon tenth (at least one), with a spread of 1 or more.
    assert [row.proposal for row in rows.values() if row.disagreement] == [1]


# Assignment and reviews on a call ----------------------------------------------------------------


@pytest.fixture
def closed_call(city, organiser):
    """A call that closed an hour ago, with three submitted proposals from three labs, and
    four reviewers: one of them a member of the first lab, another who declared a conflict with
    the second."""
    issue = IssueFactory(title="Dark canal path")
    call = CallFactory(title="Light for the canal", issues=[issue], criteria=["Answers the issue", "Feasible"])
    Call.objects.filter(pk=call.pk).update(reviews_per_proposal=2)
    services.call_open(call=call, by=organiser)
    labs, proposals = [], []
    for n in range(3):
        lab = OrganisationFactory(name=f"Lab {n}")
        member = UserFactory(display_name=f"Member {n}")
        MembershipFactory(organisation=lab, user=member)
        labs.append(lab)
        proposals.append(proposal_make(call=call, organisation=lab, by=member, submit=True, title=f"Proposal {n}"))
    reviewers = [UserFactory(display_name=f"Reviewer {n}") for n in range(4)]
    MembershipFactory(organisation=labs[0], user=reviewers[0])
    ReviewConflict.objects.create(reviewer=reviewers[1], proposal=proposals[1], reason="My cousin's")
    for person in reviewers:
        CallReviewer.objects.create(call=call, user=person)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    call.refresh_from_db()
    return {"call": call, "proposals": proposals, "reviewers": reviewers, "labs": labs}


def test_the_assignment_gives_every_proposal_its_reviews_and_holds_the_conflicts(closed_call, organiser):
    call, proposals, reviewers = closed_call["call"], closed_call["proposals"], closed_call["reviewers"]
    proposed = services.assignment_propose(call=call)
    assert {pk: len(chosen) for pk, chosen in proposed["pairs"].items()} == {p.pk: 2 for p in proposals}
    assert reviewers[0].pk not in proposed["pairs"][proposals[0].pk]  # a member of its lab
    assert reviewers[1].pk not in proposed["pairs"][proposals[1].pk]  # declared a conflict
    loads = sorted(proposed["loads"].values())
    assert loads[-1] - loads[0] <= 1 and sum(loads) == 6
    assert proposed["figures"]["conflicts_violated"] == 0
    assert services.assignment_apply(call=call, pairs=proposed["pairs"], by=organiser) == 6
    assert Review.objects.count() == 6
    # Once a review has begun, the whole assignment is not replaced any more.
    review = Review.objects.first()
    services.review_save(
        review=review,
        by=review.reviewer,
        scores={call.criteria.first().pk: (3, "")},
        recommendation="maybe",
        comment="",
        submit=False,
    )
    with pytest.raises(ValidationError, match="Reviewers have started"):
        services.assignment_apply(call=call, pairs=proposed["pairs"], by=organiser)
    # Nor can a pair that a conflict forbids be applied, whatever is posted.
    Review.objects.all().delete()
    with pytest.raises(ValidationError, match="not allowed"):
        services.assignment_apply(call=call, pairs={proposals[0].pk: [reviewers[0].pk]}, by=organiser)


def test_organisers_preview_the_assignment_in_the_admin_then_apply_it(client, closed_call):
    superuser_login(client)
    call = closed_call["call"]
    url = reverse("admin:calls_call_changelist")
    page = client.post(url, {"action": "assign_reviewers", "_selected_action": [call.pk]})
    html = page.content.decode()
    assert "6 / 6" in html and "Apply this assignment" in html
    assert Review.objects.count() == 0  # a preview writes nothing
    signed = html.split('name="pairs" value="')[1].split('"')[0]
    client.post(url, {"action": "assign_reviewers", "_selected_action": [call.pk], "apply": "1", "pairs": signed})
    assert Review.objects.count() == 6
    # A hand adjustment that breaks a conflict is refused with the reason.
    member = closed_call["reviewers"][0]
    Review.objects.filter(proposal=closed_call["proposals"][0]).delete()
    response = client.post(
        reverse("admin:calls_review_add"), {"proposal": closed_call["proposals"][0].pk, "reviewer": member.pk}
    )
    assert "may not review this proposal" in response.content.decode()


def _assign(closed_call, organiser):
    services.assignment_apply(
        call=closed_call["call"], pairs=services.assignment_propose(call=closed_call["call"])["pairs"], by=organiser
    )


def _scores(call, value=4):
    return {f"score_{criterion.pk}": str(value) for criterion in call.criteria.all()}


def test_a_reviewer_sees_only_their_assigned_proposals(client, closed_call, organiser):
    _assign(closed_call, organiser)
    reviewer = closed_call["reviewers"][2]
    mine = set(Review.objects.filter(reviewer=reviewer).values_list("pk", flat=True))
    others = set(Review.objects.exclude(reviewer=reviewer).values_list("pk", flat=True))
    client.force_login(reviewer)
    queue = client.get(reverse("calls:review_queue")).content.decode()
    assert queue.count('href="/calls/reviews/') == len(mine)
    for pk in others:
        assert client.get(reverse("calls:review", args=[pk])).status_code == 404
        assert client.post(reverse("calls:review", args=[pk]), {"action": "submit"}).status_code == 404
        assert client.get(reverse("calls:review_attachment", args=[pk, 1])).status_code == 404
    # A reviewer is no reader of the team's own pages either.
    proposal = Review.objects.get(pk=next(iter(mine))).proposal
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_an_anonymised_review_hides_the_organisation_the_team_and_the_files_names(client, closed_call, organiser):
    call = closed_call["call"]
    proposal = closed_call["proposals"][2]
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + timedelta(hours=1))
    services.proposal_attachment_add(
        proposal=proposal, by=proposal.created_by, upload=pdf_upload(), name="Lab-2-budget.pdf", pages=1
    )
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1), blind_review=True)
    _assign(closed_call, organiser)
    review = Review.objects.filter(proposal=proposal).first()
    client.force_login(review.reviewer)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Proposal 2" in page and "Six workshops" in page
    for hidden in ("Lab 2", "Amina, electrician", "Lab-2-budget"):
        assert hidden not in page, hidden
    response = client.get(reverse("calls:review_attachment", args=[review.pk, 1]))
    assert response["Content-Disposition"] == 'attachment; filename="attachment-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_review_is_submitted_complete_and_others_show_only_after_ones_own(client, closed_call, organiser):
    _assign(closed_call, organiser)
    call, proposal = closed_call["call"], closed_call["proposals"][2]
    first, second = Review.objects.filter(proposal=proposal)[:2]
    client.force_login(first.reviewer)
    response = client.post(first.get_absolute_url(), {"action": "submit", "recommendation": "accept"})
    assert "Score “Answers the issue”." in response.content.decode()
    client.post(
        first.get_absolute_url(),
        {"action": "submit", "recommendation": "accept", **_scores(call, 5), "comment": "Convincing team."},
    )
    first.refresh_from_db()
    assert first.submitted_at is not None and first.scores.count() == 2
    client.force_login(second.reviewer)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Convincing team." not in page
    assert "The other reviews show here once you have submitted yours." in page
    response = client.post(
        second.get_absolute_url(), {"action": "submit", "recommendation": "reject", **_scores(call, 1)}
    )
    following = Review.objects.filter(reviewer=second.reviewer, submitted_at__isnull=True).first()
    assert response["Location"] == (following.get_absolute_url() if following else reverse("calls:review_queue"))
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Convincing team." in page and "Answers the issue: 5/5" in page


def test_nothing_is_reviewed_before_the_call_closes(closed_call, organiser):
    _assign(closed_call, organiser)
    review = Review.objects.first()
    Call.objects.filter(pk=closed_call["call"].pk).update(closes_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="not in review now"):
        services.review_save(review=review, by=review.reviewer, scores={}, recommendation="", comment="", submit=False)


def test_a_declared_conflict_takes_the_proposal_away_for_good(client, closed_call, organiser):
    _assign(closed_call, organiser)
    review = Review.objects.filter(proposal=closed_call["proposals"][2]).first()
    client.force_login(review.reviewer)
    client.post(reverse("calls:review_conflict", args=[review.pk]), {"reason": "I advised them"})
    assert not Review.objects.filter(pk=review.pk).exists()
    assert ReviewConflict.objects.filter(reviewer=review.reviewer, proposal=review.proposal).exists()
    proposed = services.assignment_propose(call=closed_call["call"])
    assert review.reviewer_id not in proposed["pairs"][review.proposal_id]


def _review_all(closed_call, organiser, value):
    _assign(closed_call, organiser)
    for review in Review.objects.all():
        services.review_save(
            review=review,
            by=review.reviewer,
            scores={c.pk: (value, "") for c in closed_call["call"].criteria.all()},
            recommendation="accept",
            comment="",
            submit=True,
        )


def test_the_ranking_page_is_the_organisers_and_exports_csv(client, closed_call, organiser, citizen):
    _review_all(closed_call, organiser, 4)
    call = closed_call["call"]
    client.force_login(citizen)
    assert client.get(reverse("calls:ranking", args=[call.pk])).status_code == 403
    client.force_login(organiser)
    page = client.get(reverse("calls:ranking", args=[call.pk])).content.decode()
    assert page.count('<tr class="ranking-disagree">') == 0 and "Proposal 0" in page and "2 / 2" in page
    response = client.get(reverse("calls:ranking", args=[call.pk]), {"format": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[0] == "rank,proposal,organisation,reviews,mean,median,spread,adjusted,disagreement"
    assert sorted(line.split(",", 1)[1] for line in lines[1:]) == [
        f"Proposal {n},Lab {n},2,4.00,4.00,0.00,4.00," for n in range(3)
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_the_ranking_costs_the_same_queries_with_1_or_3_proposals(client, city, organiser, count):
    call = CallFactory(issues=[IssueFactory()], criteria=["A", "B"])
    services.call_open(call=call, by=organiser)
    reviewer = UserFactory()
    CallReviewer.objects.create(call=call, user=reviewer)
    for n in range(count):
        lab = OrganisationFactory()
        member = UserFactory()
        MembershipFactory(organisation=lab, user=member)
        proposal_make(call=call, organisation=lab, by=member, submit=True, title=f"P{n}")
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1), reviews_per_proposal=1)
    call.refresh_from_db()
    services.assignment_apply(call=call, pairs=services.assignment_propose(call=call)["pairs"], by=organiser)
    for review in Review.objects.all():
        scores = {c.pk: (3, "") for c in ReviewCriterion.objects.filter(call=call)}
        services.review_save(review=review, by=reviewer, scores=scores, recommendation="maybe", comment="", submit=True)
    client.force_login(organiser)
    url = reverse("calls:ranking", args=[call.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 9
    client.force_login(reviewer)
    review = Review.objects.first()
    client.get(review.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(review.get_absolute_url())
    assert len(queries) == 9
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("calls:review_queue"))
    assert len(queries) == 3


def test_the_ranking_of_2000_proposals_and_6000_reviews_costs_the_queries_of_one(client, city, organiser):
    """The same 9 queries as with one proposal (test above): every score is read in one query."""
    from calls.models import Proposal, ReviewScore
    from civicnet.accounts.models import Organisation

    call = CallFactory(issues=[IssueFactory()], criteria=["A", "B"])
    services.call_open(call=call, by=organiser)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    labs = Organisation.objects.bulk_create(
        Organisation(name=f"Lab {n}", slug=f"lab-{n}", kind="civic_innovator") for n in range(200)
    )
    reviewers = [UserFactory() for _ in range(20)]
    proposals = Proposal.objects.bulk_create(
        Proposal(call=call, organisation=labs[n % 200], title=f"P{n}", state="submitted") for n in range(2000)
    )
    reviews = Review.objects.bulk_create(
        Review(proposal=proposal, reviewer=reviewers[(n + k) % 20], submitted_at=timezone.now())
        for n, proposal in enumerate(proposals)
        for k in range(3)
    )
    criteria = list(call.criteria.all())
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion=criterion, score=(n + i) % 6)
        for n, review in enumerate(reviews)
        for i, criterion in enumerate(criteria)
    )
    client.force_login(organiser)
    url = reverse("calls:ranking", args=[call.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert len(queries) == 9
    assert page.count('<td data-label="#">') == 2000


def test_the_ranking_keeps_its_scores_when_filtered_or_decided(client, closed_call, organiser):
    """A filter chooses rows; it does not change anyone's adjusted score, nor does a decision."""
    _assign(closed_call, organiser)
    call = closed_call["call"]
    for n, review in enumerate(Review.objects.order_by("pk")):
        services.review_save(
            review=review,
            by=review.reviewer,
            scores={c.pk: (n % 6, "") for c in call.criteria.all()},
            recommendation="maybe",
            comment="",
            submit=True,
        )
    other = IssueFactory(title="Elsewhere")
    call.issues.add(other)
    first = closed_call["proposals"][0]
    first.issues.set([other])
    client.force_login(organiser)
    url = reverse("calls:ranking", args=[call.pk])

    def adjusted(params=None):
        lines = client.get(url, {**(params or {}), "format": "csv"}).content.decode().splitlines()[1:]
        return {line.split(",")[1]: line.split(",")[7] for line in lines}

    everything = adjusted()
    assert len(everything) == 3
    assert adjusted({"issue": other.pk}) == {"Proposal 0": everything["Proposal 0"]}
    services.decision_stage(proposals=[first], decision="rejected", by=organiser)
    services.decisions_apply(call=call, by=organiser)
    assert adjusted() == everything


def test_a_reviewer_who_joins_the_team_or_declares_a_conflict_later_loses_the_review(client, closed_call, organiser):
    _assign(closed_call, organiser)
    review = Review.objects.filter(proposal=closed_call["proposals"][2]).first()
    client.force_login(review.reviewer)
    assert client.get(review.get_absolute_url()).status_code == 200
    MembershipFactory(organisation=review.proposal.organisation, user=review.reviewer)
    assert client.get(review.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        services.review_save(review=review, by=review.reviewer, scores={}, recommendation="", comment="", submit=False)
    other = Review.objects.filter(reviewer=review.reviewer).exclude(pk=review.pk).first()
    ReviewConflict.objects.create(reviewer=review.reviewer, organisation=other.proposal.organisation)
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_submitted_review_is_final_once_the_others_are_shown(closed_call, organiser):
    _assign(closed_call, organiser)
    review = Review.objects.first()
    scores = {c.pk: (4, "") for c in closed_call["call"].criteria.all()}
    services.review_save(
        review=review, by=review.reviewer, scores=scores, recommendation="accept", comment="", submit=True
    )
    with pytest.raises(ValidationError, match="final"):
        services.review_save(
            review=review, by=review.reviewer, scores=scores, recommendation="reject", comment="", submit=True
        )
    Call.objects.filter(pk=closed_call["call"].pk).update(reviews_shown_after_own=False)
    # Correctable when nobody saw the others' first: but never left incomplete.
    with pytest.raises(ValidationError, match="Score"):
        services.review_save(
            review=review, by=review.reviewer, scores={}, recommendation="reject", comment="", submit=False
        )
    services.review_save(
        review=review, by=review.reviewer, scores=scores, recommendation="reject", comment="", submit=False
    )
    review.refresh_from_db()
    assert review.recommendation == "reject"


def test_an_anonymised_reviewer_gets_the_pdf_without_its_metadata(client, closed_call, organiser):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Lab 2 team", "/Title": "Lab 2 budget"})
    buffer = io.BytesIO()
    writer.write(buffer)
    call, proposal = closed_call["call"], closed_call["proposals"][2]
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + timedelta(hours=1))
    upload = SimpleUploadedFile("b.pdf", buffer.getvalue(), "application/pdf")
    services.proposal_attachment_add(proposal=proposal, by=proposal.created_by, upload=upload, name="b.pdf", pages=1)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1), blind_review=True)
    _assign(closed_call, organiser)
    review = Review.objects.filter(proposal=proposal).first()
    client.force_login(review.reviewer)
    response = client.get(reverse("calls:review_attachment", args=[review.pk, 1]))
    served = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(served.pages) == 1
    assert "Lab 2" not in str(served.metadata or {})


def test_an_invited_expert_joins_with_the_invited_address_only(client, closed_call, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    call = closed_call["call"]
    superuser_login(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:calls_call_changelist"),
            {"action": "invite_experts", "_selected_action": [call.pk], "apply": "1", "emails": "Expert@Example.org\n"},
        )
    [invitation] = [m for m in mail.outbox if m.to == ["expert@example.org"]]
    assert invitation.subject == "An invitation to review for “Light for the canal”"
    path = re.search(r"https?://[^/\s]+(/calls/\d+/review-invitation/\S+/)", invitation.body).group(1)
    someone_else = UserFactory(email="other@example.org")
    client.force_login(someone_else)
    assert "The organisers invited expert@example.org" in client.get(path).content.decode()
    response = client.post(path, follow=True)
    assert "This invitation was sent to expert@example.org" in response.content.decode()
    assert not CallReviewer.objects.filter(user=someone_else).exists()
    expert = UserFactory(email="expert@example.org")
    client.force_login(expert)
    assert client.post(path)["Location"] == reverse("calls:review_queue")
    assert CallReviewer.objects.filter(call=call, user=expert).exists()
    assert client.get(path[:-4] + "abc/").status_code == 404  # a forged token
    # A mistyped address is said, and nothing is sent.
    superuser_login(client)
    mail.outbox.clear()
    response = client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "invite_experts", "_selected_action": [call.pk], "apply": "1", "emails": "not an address"},
    )
    assert "Enter a valid email address." in response.content.decode() and mail.outbox == []
