from celery import shared_task

from . import services


@shared_task(
    name="notifications.send_email",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=15,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
)
def send_email(*, email_id: int) -> bool:
    """Send one OutgoingEmail; safe to run twice (see services.email_deliver)."""
    return services.email_deliver(email_id=email_id)
