"""The site's public address, for links that leave the page (emails, posters' QR codes, open data).

In production it is `SITE_URL`. In development (`DEBUG` with no `SITE_URL` set) it follows the
request, so that `make run PORT=8310` mails links to :8310; work done outside a request (a Celery
worker) then uses the default address.
"""

from contextvars import ContextVar

from django.conf import settings

_from_request: ContextVar[str | None] = ContextVar("site_url_from_request", default=None)


def site_url() -> str:
    return _from_request.get() or settings.SITE_URL


class SiteUrlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.CIVICNET_SITE_URL_FROM_REQUEST:
            return self.get_response(request)
        token = _from_request.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _from_request.reset(token)
