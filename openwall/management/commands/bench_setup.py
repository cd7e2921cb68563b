"""For `make bench`: signed-in sessions with CSRF tokens, and the addresses to load. Prints JSON."""

import json

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.middleware.csrf import _get_new_csrf_string

from civicnet.accounts.models import User
from openwall.filters import KEYSETS
from openwall.models import Issue


class Command(BaseCommand):
    help = "Prepare a benchmark session (benchmark data only)."

    def _session(self, email: str) -> tuple[str, str]:
        user, _created = User.objects.get_or_create(email=email, defaults={"display_name": "Bench"})
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = _get_new_csrf_string()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}", csrf

    def handle(self, *args, **options):
        cookie, csrf = self._session("bench@bench.civicnet.test")
        # The mixed traffic's signed-in readers and voters: twenty people.
        sessions = [self._session(f"bench{n}@bench.civicnet.test") for n in range(20)]
        # The issues people read, most popular first (the mix picks among them with a skew).
        popular = list(
            Issue.objects.public()
            .filter(status="open")
            .order_by("-vote_count", "pk")
            .values_list("pk", flat=True)[:5000]
        )
        detail = Issue.objects.public().filter(comment_count__gte=50).order_by("comment_count", "pk").first()
        target = Issue.objects.public().filter(status="open").order_by("-pk").first()
        # Page 500 as reached by its Next link: after the last issue of page 499.
        before_deep = Issue.objects.public().ranked()[499 * 20 - 1]
        self.stdout.write(
            json.dumps(
                {
                    "cookie": cookie,
                    "csrf": csrf,
                    "sessions": sessions,
                    "popular": popular,
                    "detail": detail.get_absolute_url(),
                    "detail_comments": detail.comment_count,
                    "vote": f"/wall/{target.pk}/vote/",
                    "deep": f"/wall/?page=500&after={KEYSETS['top'].cursor(before_deep)}",
                }
            )
        )
