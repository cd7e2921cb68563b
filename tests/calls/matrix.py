"""The calls app's rows of the permission matrix (tests/quality/test_permission_matrix.py)."""

from django.urls import reverse

from calls.services import reviewer_invitation_token
from tests.factories import PROPOSAL_TEXT, pdf_upload


def urls(world) -> dict:
    proposal, attachment = world["proposal"], world["attachment"]
    return {
        "calls:list": reverse("calls:list"),
        "calls:detail": reverse("calls:detail", args=[world["call"].pk]),
        "calls:proposal_create": reverse("calls:proposal_create", args=[world["call"].pk]),
        "calls:proposal_list": reverse("calls:proposal_list"),
        "calls:proposal_detail": reverse("calls:proposal_detail", args=[proposal.pk]),
        "calls:proposal_edit": reverse("calls:proposal_edit", args=[proposal.pk]),
        "calls:proposal_autosave": reverse("calls:proposal_autosave", args=[proposal.pk]),
        "calls:proposal_withdraw": reverse("calls:proposal_withdraw", args=[proposal.pk]),
        "calls:proposal_versions": reverse("calls:proposal_versions", args=[proposal.pk]),
        "calls:attachment_add": reverse("calls:attachment_add", args=[proposal.pk]),
        "calls:attachment": reverse("calls:attachment", args=[proposal.pk, attachment.pk]),
        "calls:attachment_remove": reverse("calls:attachment_remove", args=[proposal.pk, attachment.pk]),
        "calls:review_queue": reverse("calls:review_queue"),
        "calls:review": reverse("calls:review", args=[world["review"].pk]),
        "calls:review_attachment": reverse("calls:review_attachment", args=[world["review"].pk, 1]),
        "calls:review_conflict": reverse("calls:review_conflict", args=[world["review"].pk]),
        "calls:ranking": reverse("calls:ranking", args=[world["call"].pk]),
        # An outside expert's invitation, sent to the other citizen's address.
        "calls:reviewer_join": reverse(
            "calls:reviewer_join",
            args=[
                world["call"].pk,
                reviewer_invitation_token(call=world["call"], email=world["people"]["other_citizen"].email),
            ],
        ),
    }


# The world's proposal is the innovator's lab's, submitted, with one PDF: its team and the
# organisers read it whole; to anyone else (the partner of another organisation, a reviewer it
# is not assigned to) its address is no way in.
#                         anon  cit   other innov partn revw  organiser
GET = {
    "calls:list": "200 200 200 200 200 200 200",
    "calls:detail": "200 200 200 200 200 200 200",
    "calls:proposal_create": "L 200 200 200 200 200 200",  # without an innovator's organisation: how to get one
    "calls:proposal_list": "L 200 200 200 200 200 200",
    "calls:proposal_detail": "404 404 404 200 404 404 200",
    "calls:proposal_edit": "L 404 404 200 404 404 404",  # organisers read, only the team writes
    "calls:proposal_autosave": "L 405 405 405 405 405 405",
    "calls:proposal_withdraw": "L 405 405 405 405 405 405",
    "calls:proposal_versions": "L 404 404 200 404 404 200",
    "calls:attachment_add": "L 405 405 405 405 405 405",
    "calls:attachment": "L 404 404 200 404 404 200",
    "calls:attachment_remove": "L 405 405 405 405 405 405",
    # The reviewer has the lab's proposal to review; nobody else reads that review here
    # (organisers read reviews in the back office, and rank them).
    "calls:review_queue": "L 200 200 200 200 200 200",
    "calls:review": "L 404 404 404 404 200 404",
    "calls:review_attachment": "L 404 404 404 404 200 404",
    "calls:review_conflict": "L 405 405 405 405 405 405",
    "calls:ranking": "L 403 403 403 403 403 200",
    "calls:reviewer_join": "L 200 200 200 200 200 200",  # it says for whom; only they may accept
}
GET_OTHERS = {
    # A draft is the organisers' until it opens: its address is no way in.
    "draft call": (lambda w: reverse("calls:detail", args=[w["draft_call"].pk]), "404 404 404 404 404 404 200"),
    "an attachment of another proposal under this one's address": (
        lambda w: reverse("calls:attachment", args=[w["proposal"].pk, w["attachment"].pk + 1000]),
        "L 404 404 404 404 404 404",
    ),
}


def _resubmission(world):
    return {**PROPOSAL_TEXT, "title": "Lab's proposal, said better", "issues": [world["call"].issues.get().pk]}


POST = {
    "calls:proposal_create": (
        lambda w: {"organisation": w["lab"].pk, "title": "Another project"},
        "L 200 200 R 200 200 200",  # the others have no innovator's organisation to propose for
    ),
    "calls:proposal_edit": (lambda w: {**_resubmission(w), "action": "submit"}, "L 404 404 R 404 404 404"),
    "calls:proposal_autosave": ({"title": "Typed"}, "L 404 404 200 404 404 404"),
    "calls:proposal_withdraw": ({}, "L 404 404 R 404 404 404"),
    "calls:attachment_add": (lambda w: {"file": pdf_upload("budget.pdf")}, "L 404 404 R 404 404 404"),
    "calls:attachment_remove": ({}, "L 404 404 R 404 404 404"),
    # The call is still open: the review form answers that it cannot be scored yet.
    "calls:review": ({"action": "save", "recommendation": "accept"}, "L 404 404 404 404 200 404"),
    "calls:review_conflict": ({"reason": "I advised them"}, "L 404 404 404 404 R 404"),
    "calls:reviewer_join": ({}, "L 200 R 200 200 200 200"),
}
ADMIN = {
    "calls.call": "200",
    "calls.decisionemail": "200",
    "calls.proposal": "200",
    "calls.review": "200",
    "calls.reviewconflict": "200",
}

QUERIES = {
    "calls:list": ("citizen", 7),  # session, user, the calls' stage, notifications; open, opening, past calls
    "calls:detail": ("citizen", 8),  # … the call, its issues, criteria and themes
    "calls:proposal_create": ("innovator", 9),  # session, user, permissions (2), the call; organisations, proposals
    "calls:proposal_list": ("innovator", 3),
    "calls:proposal_detail": ("innovator", 10),
    "calls:proposal_edit": ("innovator", 9),
    "calls:proposal_versions": ("innovator", 7),
    "calls:attachment": ("innovator", 7),
    "calls:review_queue": ("reviewer", 3),
    "calls:review": ("reviewer", 8),  # … the review, criteria, scores, latest version, files
    "calls:review_attachment": ("reviewer", 4),
    "calls:ranking": ("organiser", 9),  # the same at 2,000 proposals: one query for every score
    "calls:reviewer_join": ("other_citizen", 3),
}
POST_QUERIES = {
    "calls:review": ("reviewer", 14),
    "calls:review_conflict": ("reviewer", 9),
    "calls:reviewer_join": ("other_citizen", 10),
    "calls:proposal_create": ("innovator", 13),
    "calls:proposal_edit": ("innovator", 27),  # a new version, and the copy by email
    "calls:proposal_autosave": ("innovator", 4),
    "calls:proposal_withdraw": ("innovator", 8),
    "calls:attachment_add": ("innovator", 16),
    "calls:attachment_remove": ("innovator", 18),  # and that the submission stays complete,
}
