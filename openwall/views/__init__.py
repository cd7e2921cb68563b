"""The Open Wall's pages, a module per concern; the URLconf names them through this package."""

from .comments import comment_create, comment_edit, comment_remove
from .issues import follow, issue_create, issue_detail, issue_edit, issue_list, issue_similar, topic_detail, vote
from .meetups import event_detail, event_ics, event_list, event_record_issue, event_rsvp, event_tally
from .moderation import board, flag, prioritise
from .posters import poster, qr_code

__all__ = [
    "board",
    "comment_create",
    "comment_edit",
    "comment_remove",
    "event_detail",
    "event_ics",
    "event_list",
    "event_record_issue",
    "event_rsvp",
    "event_tally",
    "flag",
    "follow",
    "issue_create",
    "issue_detail",
    "issue_edit",
    "issue_list",
    "issue_similar",
    "poster",
    "prioritise",
    "qr_code",
    "topic_detail",
    "vote",
]
