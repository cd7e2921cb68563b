from .calls import call_detail, call_list
from .proposals import (
    attachment_add,
    attachment_download,
    attachment_remove,
    proposal_autosave,
    proposal_create,
    proposal_detail,
    proposal_edit,
    proposal_list,
    proposal_versions,
    proposal_withdraw,
)
from .reviews import ranking_table, review, review_attachment, review_conflict, review_queue, reviewer_join

__all__ = [
    "attachment_add",
    "attachment_download",
    "attachment_remove",
    "call_detail",
    "call_list",
    "proposal_autosave",
    "proposal_create",
    "proposal_detail",
    "proposal_edit",
    "proposal_list",
    "proposal_versions",
    "proposal_withdraw",
    "ranking_table",
    "review",
    "review_attachment",
    "review_conflict",
    "review_queue",
    "reviewer_join",
]
