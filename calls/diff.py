"""Two submitted versions of a proposal compared, field by field, word by word (difflib): what a
reviewer or the team needs to see what changed. Plain data in (ProposalVersion.content), rows out."""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

WORDS = re.compile(r"\s+|[^\s]+")

FIELDS = (
    ("title", _("Title")),
    ("summary", _("Summary")),
    ("description", _("Description")),
    ("issues", _("Issues it addresses")),
    ("team", _("Team")),
    ("budget", _("Budget requested (€)")),
)


@dataclass(frozen=True)
class Row:
    label: str
    changed: bool
    parts: list  # [(kind, text)], kind "same", "removed" or "added"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(item["title"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)


def words_diff(old: str, new: str) -> list[tuple[str, str]]:
    """`old` turned into `new` as runs of same, removed and added text (whitespace kept)."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(b[j1:j2])))
    return parts


def versions_compare(old: dict | None, new: dict) -> list[Row]:
    """One row per field and per question of either version, in the newer one's order."""
    old = old or {}
    rows = []
    pairs = [(label, _text(old.get(key)), _text(new.get(key))) for key, label in FIELDS]
    old_answers = {answer["id"]: answer for answer in old.get("answers", [])}
    new_ids = [answer["id"] for answer in new.get("answers", [])]
    for answer in new.get("answers", []):
        pairs.append(
            (answer["question"], _text(old_answers.get(answer["id"], {}).get("value")), _text(answer["value"]))
        )
    for question_id, answer in old_answers.items():  # a question the call no longer asks
        if question_id not in new_ids:
            pairs.append((answer["question"], _text(answer["value"]), ""))
    pairs.append(
        (
            _("Attachments"),
            "\n".join(file["name"] for file in old.get("attachments", [])),
            "\n".join(file["name"] for file in new.get("attachments", [])),
        )
    )
    for label, before, after in pairs:
        rows.append(Row(label=str(label), changed=before != after, parts=words_diff(before, after)))
    return rows
