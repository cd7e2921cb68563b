from celery import shared_task

from . import digest, services
from .services import MAX_RETRIES


def retry_countdown(retries: int) -> int:
    """Seconds before the next try: 15 s, 30 s, 1 min… capped at one hour."""
    return min(3600, 15 * 2**retries)


@shared_task(bind=True, name="notifications.send_email", acks_late=True, max_retries=MAX_RETRIES)
def send_email(self, *, email_id: int) -> bool:
    """Send one OutgoingEmail; safe to run twice (see services.email_deliver).

    On failure a worker tries again later with back-off. Run eagerly (no broker, the embedded
    set-up) it does not: retrying inline would hold the web request hostage to a dead SMTP
    server. The failure stays on the email, and the admin's "queue again" action resends it.
    """
    try:
        return services.email_deliver(email_id=email_id)
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc


@shared_task(name="notifications.requeue_unsent_emails")
def requeue_unsent_emails() -> int:
    """Every few minutes (Celery beat): emails the broker never took, or a dead worker dropped."""
    return services.emails_requeue_unsent()


@shared_task(name="notifications.send_weekly_digests", acks_late=True)
def send_weekly_digests() -> int:
    """Weekly (Celery beat): queue everyone's digest; running it twice sends nothing twice."""
    return digest.digest_send_all()
