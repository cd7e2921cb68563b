"""Queue Celery tasks after commit without letting a dead or frozen broker break the request."""

import logging

from django.db import transaction

from civicnet import circuit

logger = logging.getLogger(__name__)


def task_named(name: str):
    """The registered Celery task called `name`. Services name the tasks they queue instead of
    importing them (tasks import services: that way round there is no import cycle)."""
    from civicnet.celery import app

    if name not in app.tasks:
        app.autodiscover_tasks(force=True)  # imports every installed app's tasks module, once
    return app.tasks[name]


def enqueue(task, *, inline_if_broker_down: bool, countdown: int = 0, **kwargs) -> None:
    """Queue `task(**kwargs)` (a task, or a registered task's name) once the current transaction
    commits, to run `countdown` seconds later; the one way the project queues work.

    If the broker cannot take it (or its circuit breaker is open: it failed a moment ago), either
    run it here and now (work that must not be lost and has no other record), or leave it: the
    caller keeps a record that a periodic task picks up again (emails: OutgoingEmail rows
    without sent_at).
    """

    task = task_named(task) if isinstance(task, str) else task

    def publish():
        app = task.app
        breaker = None if app.conf.task_always_eager else circuit.breaker_for(str(app.conf.broker_url))
        if breaker is None or not breaker.is_open():
            try:
                task.apply_async(kwargs=kwargs, countdown=countdown or None)
                return
            except Exception as exc:  # kombu's OperationalError, socket errors...: the broker is unreachable
                if breaker is not None:
                    breaker.trip(exc)
                logger.warning("broker unavailable for %s: %r", task.name, exc)
        if inline_if_broker_down:
            task.apply(kwargs=kwargs)

    transaction.on_commit(publish)
