"""Every write on the Open Wall: one function per action, keyword-only, transactional, in a module
per concern. Callers import from `openwall.services`, whatever the module."""

from .comments import comment_create, comment_edit, comment_remove
from .issues import (
    TREND_WEIGHTS,
    TREND_WINDOWS,
    follow_ensure,
    follow_toggle,
    followers_notify,
    issue_create,
    issue_story_add,
    issue_update,
    trending_refresh,
    votes_erase,
)
from .meetups import (
    TALLY_WINDOW_AFTER,
    TALLY_WINDOW_BEFORE,
    meetup_attendance_set,
    meetup_issue_record,
    meetup_registration_toggle,
    tally_set,
)
from .moderation import (
    PRIORITISE_UNDO_SECONDS,
    flag_create,
    issue_merge,
    issue_prioritise,
    issue_prioritise_undo,
    issue_status_set,
    moderation_hide,
    moderation_restore,
)
from .translations import translation_accept, translation_propose, translation_remove
from .votes import vote_set, vote_toggle

__all__ = [
    "PRIORITISE_UNDO_SECONDS",
    "TALLY_WINDOW_AFTER",
    "TALLY_WINDOW_BEFORE",
    "TREND_WEIGHTS",
    "TREND_WINDOWS",
    "comment_create",
    "comment_edit",
    "comment_remove",
    "flag_create",
    "follow_ensure",
    "follow_toggle",
    "followers_notify",
    "issue_create",
    "issue_merge",
    "issue_prioritise",
    "issue_prioritise_undo",
    "issue_status_set",
    "issue_story_add",
    "issue_update",
    "meetup_attendance_set",
    "meetup_issue_record",
    "meetup_registration_toggle",
    "moderation_hide",
    "moderation_restore",
    "tally_set",
    "translation_accept",
    "translation_propose",
    "translation_remove",
    "trending_refresh",
    "vote_set",
    "vote_toggle",
    "votes_erase",
]
