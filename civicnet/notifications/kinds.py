"""The registry of notification kinds.

Each app registers the kinds it sends (in its AppConfig.ready or at import of its services),
so the core never needs to know about the phases above it. A kind says what the in-app
message reads like, how users see it on the preferences page, and how email is sent by default.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


class Frequency:
    IMMEDIATELY = "immediately"
    WEEKLY = "weekly"
    NEVER = "never"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise  # shown on the preferences page
    message: Promise  # in-app text; %(name)s placeholders are filled from Notification.data
    default_frequency: str = Frequency.IMMEDIATELY
    digestible: bool = True  # may the user choose the weekly digest for it?
    # Turns stored data into display values in the reader's language (codes into labels).
    prepare: Callable[[dict], dict] | None = None
    # templates/emails/<email_template>.* tells the news by email; None: in the app only.
    email_template: str | None = None
    # What users may choose on the preferences page (a digest itself is weekly or never).
    frequencies: tuple[str, ...] = (Frequency.IMMEDIATELY, Frequency.WEEKLY, Frequency.NEVER)


_registry: dict[str, Kind] = {}


def digest_available() -> bool:
    """Whether a phase app contributes to the weekly digest (civicnet.phases); until one does,
    nobody is offered it."""
    from civicnet import phases

    return phases.digest_available()


def register(kind: Kind) -> Kind:
    existing = _registry.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.key!r} is registered twice with different settings.")
    _registry[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    return _registry[key]


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.key)
