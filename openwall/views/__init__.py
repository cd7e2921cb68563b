"""The Open Wall's pages, a module per concern; the URLconf names them through this package."""

from .comments import comment_create, comment_edit, comment_remove
from .issues import (
    follow,
    issue_create,
    issue_detail,
    issue_edit,
    issue_list,
    issue_map,
    issue_map_points,
    issue_similar,
    issue_translate,
    topic_detail,
    translation_accept,
    vote,
)
from .meetups import (
    meetup_attendance,
    meetup_detail,
    meetup_ics,
    meetup_issue_pick,
    meetup_list,
    meetup_record_issue,
    meetup_rsvp,
    meetup_tally,
)
from .moderation import board, flag, prioritise, prioritise_undo
from .posters import poster, qr_code

__all__ = [
    "board",
    "comment_create",
    "comment_edit",
    "comment_remove",
    "flag",
    "follow",
    "issue_create",
    "issue_detail",
    "issue_edit",
    "issue_list",
    "issue_map",
    "issue_map_points",
    "issue_similar",
    "issue_translate",
    "meetup_attendance",
    "meetup_detail",
    "meetup_ics",
    "meetup_issue_pick",
    "meetup_list",
    "meetup_record_issue",
    "meetup_rsvp",
    "meetup_tally",
    "poster",
    "prioritise",
    "prioritise_undo",
    "qr_code",
    "topic_detail",
    "translation_accept",
    "vote",
]
