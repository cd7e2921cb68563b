from celery import shared_task

from . import digest, services


@shared_task(name="openwall.send_weekly_digests", acks_late=True)
def send_weekly_digests() -> int:
    """Weekly (Celery beat): queue everyone's digest; running it twice sends nothing twice."""
    return digest.digest_send_all()


@shared_task(name="openwall.refresh_trending")
def refresh_trending() -> int:
    """Every few minutes (Celery beat): recompute the trend scores in the database."""
    return services.trending_refresh()
