from celery import shared_task

from . import digest


@shared_task(name="openwall.send_weekly_digests", acks_late=True)
def send_weekly_digests() -> int:
    """Weekly (Celery beat): queue everyone's digest; running it twice sends nothing twice."""
    return digest.digest_send_all()
