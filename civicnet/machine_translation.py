"""An optional machine-translation backend: an HTTP service with LibreTranslate's API (a
self-hosted LibreTranslate, for instance), set with TRANSLATION_URL. Off by default: then
nothing is ever sent anywhere. It only proposes a draft, which a person reads and submits."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


def available() -> bool:
    return bool(settings.CIVICNET_TRANSLATION_URL)


def draft(texts: list[str], *, source: str, target: str) -> list[str] | None:
    """`texts` translated from `source` into `target`, or None (not configured, or the service did
    not answer well within the timeout: the person writes the translation themselves)."""
    if not available():
        return None
    payload = {"q": texts, "source": source, "target": target, "format": "text"}
    if settings.CIVICNET_TRANSLATION_KEY:
        payload["api_key"] = settings.CIVICNET_TRANSLATION_KEY
    request = urllib.request.Request(  # noqa: S310 (an http(s) URL the operator configured)
        settings.CIVICNET_TRANSLATION_URL,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.CIVICNET_TRANSLATION_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read(1_000_000))
        translated = answer["translatedText"]
    except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError) as exc:
        logger.warning("machine translation failed: %r", exc)
        return None
    if isinstance(translated, str):
        translated = [translated]
    if (
        not isinstance(translated, list)
        or len(translated) != len(texts)
        or not all(isinstance(t, str) for t in translated)
    ):
        return None
    return translated
