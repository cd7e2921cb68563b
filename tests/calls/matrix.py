"""The calls app's rows of the permission matrix (tests/quality/test_permission_matrix.py)."""

from django.urls import reverse


def urls(world) -> dict:
    return {
        "calls:list": reverse("calls:list"),
        "calls:detail": reverse("calls:detail", args=[world["call"].pk]),
    }


#                         anon  cit   other innov partn revw  organiser
GET = {
    "calls:list": "200 200 200 200 200 200 200",
    "calls:detail": "200 200 200 200 200 200 200",
}
GET_OTHERS = {
    # A draft is the organisers' until it opens: its address is no way in.
    "draft call": (lambda w: reverse("calls:detail", args=[w["draft_call"].pk]), "404 404 404 404 404 404 200"),
}
ADMIN = {"calls.call": "200"}

QUERIES = {
    "calls:list": ("citizen", 7),  # session, user, the calls' stage, notifications; open, opening, past calls
    "calls:detail": ("citizen", 8),  # … the call, its issues, criteria and themes
}
