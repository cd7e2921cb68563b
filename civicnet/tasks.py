"""Queue Celery tasks after commit without letting a dead broker break the request."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *, inline_if_broker_down: bool, **kwargs) -> None:
    """Queue `task(**kwargs)` once the current transaction commits.

    If the broker cannot take it, either run it here and now (work that must not be lost and
    has no other record), or leave it: the caller keeps a record that a periodic task picks up
    again (emails: OutgoingEmail rows without sent_at).
    """

    def publish():
        try:
            task.apply_async(kwargs=kwargs)
        except Exception as exc:  # kombu's OperationalError, socket errors...: the broker is unreachable
            logger.warning("broker unavailable for %s: %r", task.name, exc)
            if inline_if_broker_down:
                task.apply(kwargs=kwargs)

    transaction.on_commit(publish)
