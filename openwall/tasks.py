from celery import shared_task

from . import services


@shared_task(name="openwall.refresh_trending")
def refresh_trending() -> int:
    """Every few minutes (Celery beat): recompute the trend scores in the database."""
    return services.trending_refresh()


@shared_task(name="openwall.notify_followers", acks_late=True)
def notify_followers(
    *, issue_id: int, kind: str, actor_id: int | None, data: dict, key: str, step_id: int | None = None
) -> int:
    """Tell an issue's followers about a change. Emails carry a per-change, per-person key: a
    retry after a crash may repeat an in-app notification, never an email."""
    return services.followers_notify(
        issue_id=issue_id, kind=kind, actor_id=actor_id, data=data, key=key, step_id=step_id
    )
