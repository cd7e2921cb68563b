"""The Open Wall's rows of the permission matrix (tests/quality/test_permission_matrix.py)."""

from django.db import connection
from django.urls import reverse


def urls(world) -> dict:
    issue, comment, meetup = world["issue"], world["comment"], world["meetup"]
    topic = issue.topic.slug
    return {
        "openwall:list": reverse("openwall:list"),
        "openwall:issue_create": reverse("openwall:issue_create"),
        "openwall:issue_similar": reverse("openwall:issue_similar") + "?title=broken+pavement",
        "openwall:board": reverse("openwall:board"),
        "openwall:meetup_list": reverse("openwall:meetup_list"),
        "openwall:meetup_detail": reverse("openwall:meetup_detail", args=[meetup.pk]),
        "openwall:meetup_rsvp": reverse("openwall:meetup_rsvp", args=[meetup.pk]),
        "openwall:meetup_ics": reverse("openwall:meetup_ics", args=[meetup.pk]),
        "openwall:meetup_record_issue": reverse("openwall:meetup_record_issue", args=[meetup.pk]),
        "openwall:meetup_issue_pick": reverse("openwall:meetup_issue_pick", args=[meetup.pk]) + "?tally-search=problem",
        "openwall:meetup_tally": reverse("openwall:meetup_tally", args=[meetup.pk]),
        "openwall:meetup_attendance": reverse("openwall:meetup_attendance", args=[meetup.pk]),
        "openwall:export_csv": reverse("openwall:export_csv"),
        "openwall:export_json": reverse("openwall:export_json"),
        "openwall:topic_feed": reverse("openwall:topic_feed", args=[topic]),
        "openwall:prioritise": reverse("openwall:prioritise", args=[issue.pk]),
        "openwall:map": reverse("openwall:map"),
        "openwall:issue_translate": reverse("openwall:issue_translate", args=[issue.pk, "nl"]),
        "openwall:translation_accept": reverse("openwall:translation_accept", args=[issue.pk, "nl"]),
        "openwall:map_points": reverse("openwall:map_points"),
        "openwall:prioritise_undo": reverse("openwall:prioritise_undo", args=[issue.pk]),
        "openwall:poster": reverse("openwall:poster", args=[issue.pk]),
        "openwall:qr_code": reverse("openwall:qr_code", args=[issue.pk]),
        "openwall:topic_detail": reverse("openwall:topic_detail", args=[topic]),
        "openwall:issue_detail": reverse("openwall:issue_detail", args=[issue.pk]),
        "openwall:issue_edit": reverse("openwall:issue_edit", args=[issue.pk]),
        "openwall:vote": reverse("openwall:vote", args=[issue.pk]),
        "openwall:follow": reverse("openwall:follow", args=[issue.pk]),
        "openwall:comment_create": reverse("openwall:comment_create", args=[issue.pk]),
        "openwall:issue_flag": reverse("openwall:issue_flag", args=[issue.pk]),
        "openwall:comment_flag": reverse("openwall:comment_flag", args=[comment.pk]),
        "openwall:comment_edit": reverse("openwall:comment_edit", args=[comment.pk]),
        "openwall:comment_remove": reverse("openwall:comment_remove", args=[comment.pk]),
    }


#                                        anon  cit   other innov partn revw  organiser
GET = {
    "openwall:list": "200 200 200 200 200 200 200",
    "openwall:issue_create": "L 200 200 200 200 200 200",
    "openwall:issue_similar": "200 200 200 200 200 200 200",
    "openwall:board": "L 403 403 403 403 403 200",
    "openwall:meetup_list": "200 200 200 200 200 200 200",
    "openwall:meetup_detail": "200 200 200 200 200 200 200",
    "openwall:meetup_rsvp": "405 405 405 405 405 405 405",
    "openwall:meetup_ics": "200 200 200 200 200 200 200",
    "openwall:meetup_record_issue": "L 200 403 403 200 403 200",
    "openwall:meetup_issue_pick": "L 200 403 403 200 403 200",
    "openwall:meetup_tally": "405 405 405 405 405 405 405",
    "openwall:meetup_attendance": "405 405 405 405 405 405 405",
    "openwall:export_csv": "200 200 200 200 200 200 200",
    "openwall:export_json": "200 200 200 200 200 200 200",
    "openwall:topic_feed": "200 200 200 200 200 200 200",
    "openwall:prioritise": "405 405 405 405 405 405 405",
    # No tile server in the tests' settings: no map (tests/openwall/test_places.py has one).
    "openwall:map": "404 404 404 404 404 404 404",
    "openwall:issue_translate": "L 200 200 200 200 200 200",
    "openwall:translation_accept": "405 405 405 405 405 405 405",
    "openwall:map_points": "404 404 404 404 404 404 404",
    "openwall:prioritise_undo": "405 405 405 405 405 405 405",
    "openwall:poster": "200 200 200 200 200 200 200",
    "openwall:qr_code": "200 200 200 200 200 200 200",
    "openwall:topic_detail": "200 200 200 200 200 200 200",
    "openwall:issue_detail": "200 200 200 200 200 200 200",
    "openwall:issue_edit": "L 200 403 403 403 403 403",
    "openwall:vote": "405 405 405 405 405 405 405",
    "openwall:follow": "405 405 405 405 405 405 405",
    "openwall:comment_create": "405 405 405 405 405 405 405",
    "openwall:issue_flag": "L 200 200 200 200 200 200",
    "openwall:comment_flag": "L 200 200 200 200 200 200",
    "openwall:comment_edit": "L 200 403 403 403 403 403",
    "openwall:comment_remove": "405 405 405 405 405 405 405",
}
# Objects that belong to someone else, reached by changing the address.
GET_OTHERS = {
    "hidden issue": (lambda w: reverse("openwall:issue_detail", args=[w["hidden"].pk]), "404 404 404 404 404 404 200"),
    "hidden issue's poster": (
        lambda w: reverse("openwall:poster", args=[w["hidden"].pk]),
        "404 404 404 404 404 404 200",
    ),
}
# What a POST does (each persona on a fresh world, so one success cannot change the next).
POST = {
    "openwall:issue_create": (
        lambda w: {
            "title": "Lamps out on the canal path",
            "description": "Dark since October, people avoid it.",
            "topic": w["issue"].topic_id,
            "language": "en",
        },
        "L R R R R R R",
    ),
    "openwall:issue_edit": (
        lambda w: {
            "title": "Citizen's issue, said better",
            "description": "The same problem, described again.",
            "topic": w["issue"].topic_id,
        },
        "L R 403 403 403 403 403",
    ),
    "openwall:comment_edit": ({"body": "Edited."}, "L R 403 403 403 403 403"),
    "openwall:issue_flag": ({"reason": "spam"}, "L R R R R R R"),
    "openwall:comment_flag": ({"reason": "spam"}, "L R R R R R R"),
    "@vote on a hidden issue": (
        lambda w: reverse("openwall:vote", args=[w["hidden"].pk]),
        {"action": "vote"},
        "L 404 404 404 404 404 404",  # nobody votes on what the public cannot see
    ),
    "@comment on a hidden issue": (
        lambda w: reverse("openwall:comment_create", args=[w["hidden"].pk]),
        {"body": "Me too."},
        "L 404 404 404 404 404 403",
    ),
    "@edit another's comment": (
        lambda w: reverse("openwall:comment_edit", args=[w["comment"].pk]),
        {"body": "Not mine."},
        "L R 403 403 403 403 403",
    ),
    "openwall:vote": ({}, "L R R R R R R"),
    "openwall:follow": ({}, "L R R R R R R"),
    "openwall:comment_create": ({"body": "Me too."}, "L R R R R R R"),
    "openwall:comment_remove": ({}, "L R 403 403 403 403 R"),
    "openwall:prioritise": ({}, "L 403 403 403 403 403 R"),
    "openwall:prioritise_undo": ({}, "L 403 403 403 403 403 R"),
    "openwall:issue_translate": (
        {"title": "Het probleem van de burger", "description": "In het Nederlands."},
        "L R R R R R R",
    ),
    "openwall:translation_accept": (
        {},
        "L 404 403 403 403 403 404",
    ),  # nothing proposed yet  # nothing to undo: back to the board
    "openwall:meetup_rsvp": ({}, "L R R R R R R"),
    "openwall:meetup_tally": (lambda w: {"tally-issue": w["issue"].pk, "tally-votes": 3}, "L R 403 403 R 403 R"),
    "openwall:meetup_attendance": ({"attendance-attendance": 12}, "L R 403 403 R 403 R"),
}

# The organiser's answer on each admin list (others: anonymous "L", everyone else 403).
ADMIN = {
    "openwall.comment": "200",
    "openwall.flag": "200",
    "openwall.issue": "200",
    "openwall.issuetranslation": "200",
    "openwall.meetup": "200",
    "openwall.moderationaction": "200",
    "openwall.vote": "200",
}

# Exact queries of each page for one persona, the same with 1 or 3 of everything it lists
# (tests/quality/test_query_budgets.py), and of each write in POST.
QUERIES = {
    # Where the calls stand (calls' stage, one query) is said on the wall and the forms.
    "openwall:list": ("citizen", 8),  # one more when cards are in another language (test_translations.py)
    "openwall:issue_create": ("citizen", 5),
    "openwall:issue_similar": ("citizen", 3),
    "openwall:board": ("organiser", 6),
    "openwall:meetup_list": ("citizen", 4),
    "openwall:meetup_detail": ("citizen", 14),
    "openwall:meetup_ics": ("citizen", 6),
    "openwall:meetup_record_issue": ("citizen", 14),
    "openwall:meetup_issue_pick": ("citizen", 8),  # session, user, meetup, host membership; the matches
    "openwall:export_csv": ("citizen", 3),
    "openwall:export_json": ("citizen", 3),
    "openwall:topic_feed": ("citizen", 4),
    "openwall:poster": ("citizen", 6),
    "openwall:qr_code": ("citizen", 6),
    "openwall:topic_detail": ("citizen", 5),
    "openwall:issue_detail": ("citizen", 11),  # its translations only when it has some (translated_text)
    "openwall:issue_translate": ("citizen", 7),
    "openwall:issue_edit": ("citizen", 8),
    "openwall:issue_flag": ("citizen", 6),
    "openwall:comment_flag": ("citizen", 6),
    "openwall:comment_edit": ("citizen", 6),
}
POST_QUERIES = {
    "@edit another's comment": ("citizen", 9),
    "openwall:comment_create": ("citizen", 11),
    "openwall:comment_edit": ("citizen", 9),
    "openwall:comment_flag": ("citizen", 13),
    "openwall:comment_remove": ("citizen", 10),
    "openwall:follow": ("citizen", 9),
    "openwall:issue_create": ("citizen", 9),
    "openwall:issue_edit": ("citizen", 13),  # and its translations sent back for a look
    "openwall:issue_flag": ("citizen", 13),
    "openwall:meetup_rsvp": ("citizen", 12),
    "openwall:meetup_tally": ("citizen", 21),
    "openwall:meetup_attendance": ("citizen", 10),
    "openwall:prioritise": ("organiser", 10),
    "openwall:prioritise_undo": ("organiser", 10),
    "openwall:issue_translate": ("citizen", 14),
    "openwall:translation_accept": (
        "citizen",
        8,
    ),  # the refusal: nothing proposed  # the world's issue is open: the refusal
    # One statement on PostgreSQL (openwall/services/votes.py): the session, the user, the issue, the vote.
    "openwall:vote": ("citizen", 4 if connection.vendor == "postgresql" else 10),
}
