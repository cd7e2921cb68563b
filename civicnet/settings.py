"""civicnet settings: one file, every knob read from the environment.

Defaults give the embedded set-up (SQLite, local-memory cache, Celery eager).
Production tightens these settings through the environment; it adds nothing.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from civicnet.maps import tile_origin

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's own overrides (written by `make run` on first use); never committed.
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 (DEBUG only)

SITE_URL = env.str("SITE_URL", default="").rstrip("/")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# In development without SITE_URL, links in emails and posters follow the request (civicnet/siteurl.py),
# but never with ALLOWED_HOSTS = * : a forged Host header would then write the links.
CIVICNET_SITE_URL_FROM_REQUEST = DEBUG and not SITE_URL and "*" not in ALLOWED_HOSTS
SITE_URL = SITE_URL or "http://127.0.0.1:8000"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "civicnet.adminsite.AdminConfig",  # django.contrib.admin with the project's rules
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_celery_beat",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "civicnet.accounts",
    "civicnet.city",
    "civicnet.notifications",
    "openwall",
    "calls",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicnet.middleware.CityLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civicnet.middleware.UserLanguageMiddleware",
    "civicnet.middleware.RequestGuardMiddleware",
    "civicnet.siteurl.SiteUrlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "civicnet.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# `make bench` serves bench/urls.py: the product's URLconf plus its baseline page.
ROOT_URLCONF = "bench.urls" if env.bool("CIVICNET_BENCHMARK", default=False) else "civicnet.urls"
WSGI_APPLICATION = "civicnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicnet.city.context_processors.city",
                "civicnet.notifications.context_processors.notifications",
                "civicnet.phases.context_processor",
            ],
            # {% personal %} and {% personal_include %}: the parts of a stored page that are a person's own.
            "builtins": ["civicnet.personal", "civicnet.relative"],
        },
    }
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker started by a test can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default=str(BASE_DIR / ".test-db.sqlite3"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: cache, Celery broker and rate-limit store when set.
REDIS_URL = env.str("REDIS_URL", default="")
# Redis answers in a millisecond or two; one that takes longer than this is treated as down.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
# After a Redis failure, how long the cache, rate limits and broker leave it alone (civicnet/circuit.py).
CIVICNET_REDIS_BREAKER_SECONDS = env.float("REDIS_BREAKER_SECONDS", default=5.0)
# Where throttles count while Redis is unavailable (civicnet/cache.py): a table made by migration.
CIVICNET_CACHE_FALLBACK = "fallback"
CIVICNET_CACHE_FALLBACK_PREFIXES = (
    "allauth:rl:",  # allauth's rate limits (sign-in, reset, sign-up, second factor) and their locks
    "allauth.mfa.",  # TOTP codes already used (no replay)
    "ratelimit:",  # civicnet.ratelimit
)
_fallback_cache = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "civicnet_cache_fallback",
    # Expired rows go on every write; the count never culls live ones (Django's default, 300, would
    # drop the alphabetically first keys, sign-in counters among them, for anyone to flush).
    "OPTIONS": {"MAX_ENTRIES": 10_000_000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "civicnet.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="civicnet"),
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        },
        CIVICNET_CACHE_FALLBACK: _fallback_cache,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        CIVICNET_CACHE_FALLBACK: _fallback_cache,
    }

# Celery: eager (in-process) without a broker, so the embedded set-up needs no services.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# In eager mode a failing email must not break the page that queued it; retries run inline.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a dead worker had taken (acks_late) goes back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
# Publishing gives up quickly when the broker is down; civicnet.tasks.enqueue then falls back.
# One try: a broker that does not answer opens the circuit breaker (civicnet/tasks.py) instead of
# holding the request through retries.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TIMEZONE = "UTC"  # each periodic task's crontab carries the city's time zone (civicnet/phases.py)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="civicnet")

# Auth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "civicnet.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "civicnet.accounts.forms.SignupExtraForm"  # public name and terms
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="civicnet")

# Email: one Celery task sends everything (civicnet.notifications).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="civicnet <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Until a city pack says otherwise: each request and task then uses the city's time zone
# (CityProfile.time_zone, activated by civicnet.middleware.CityLocaleMiddleware and civicnet.celery).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static and media
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files only some people may read (proposal attachments): outside MEDIA_ROOT, so that no web
# server serves them by address; a view that checks permission does (civicnet/uploads.py).
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request body the site reads (the proxy in front should say the same, docs/deploy.md):
# a few photos or one 10 MB PDF with its form. Django's own limit covers only the non-file fields.
CIVICNET_MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=12_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security: safe by default, tightened further where SITE_URL is https.
HTTPS = SITE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# A map tile server (docs/deploy.md), e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png within its
# usage policy. Empty (the default): no map anywhere, and no request to any other host.
CIVICNET_MAP_TILES = env.str("MAP_TILES", default="")
CIVICNET_MAP_ATTRIBUTION = env.str("MAP_ATTRIBUTION", default="© OpenStreetMap contributors")

# A machine-translation service with LibreTranslate's API (e.g. https://translate.example.org/translate):
# it drafts translations of issues for a person to correct. Empty (the default): nothing is sent anywhere.
CIVICNET_TRANSLATION_URL = env.str("TRANSLATION_URL", default="")
CIVICNET_TRANSLATION_KEY = env.str("TRANSLATION_KEY", default="")
CIVICNET_TRANSLATION_TIMEOUT = env.float("TRANSLATION_TIMEOUT", default=8.0)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if CIVICNET_MAP_TILES:  # the tiles' host, and no other
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(tile_origin(CIVICNET_MAP_TILES))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# civicnet's own knobs
CIVICNET_ORGANISERS_GROUP = "Organisers"
# Who reviews calls' proposals by default (an organiser adds them to a call, with outside experts).
CIVICNET_REVIEWERS_GROUP = "Reviewers"
CIVICNET_LOGO_MAX_BYTES = 2 * 1024 * 1024
# How long an anonymous visitor's page may be served from the cache (civicnet/pagecache.py); 0: never.
# Off by default with DEBUG, so that someone editing a template sees it at once.
CIVICNET_PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)
# A vote on PostgreSQL commits without waiting for the disk (openwall/services/votes.py): true
# makes it wait, as every other write does.
CIVICNET_VOTE_DURABLE_COMMIT = env.bool("VOTE_DURABLE_COMMIT", default=False)
# How long a live number of a stored page (a vote count) may be reused before it is read again.
CIVICNET_LIVE_COUNT_SECONDS = env.int("LIVE_COUNT_SECONDS", default=2)
# Invitations one organisation may create in 24 hours, whoever of its administrators sends them.
CIVICNET_INVITATIONS_PER_ORGANISATION_PER_DAY = env.int("INVITATIONS_PER_ORGANISATION_PER_DAY", default=50)
# Open flags that hide an issue or a comment until an organiser reviews it.
OPENWALL_FLAGS_TO_HIDE = env.int("OPENWALL_FLAGS_TO_HIDE", default=3)
# Only reports by accounts at least this old (or with a report upheld before) count towards hiding.
OPENWALL_FLAG_TRUSTED_AFTER_DAYS = env.int("OPENWALL_FLAG_TRUSTED_AFTER_DAYS", default=7)
# An issue with this many votes (online and paper) is never hidden automatically: it waits for an organiser.
OPENWALL_FLAGS_PROTECTED_VOTES = env.int("OPENWALL_FLAGS_PROTECTED_VOTES", default=10)
# The most paper votes a facilitator may enter for one issue at a meetup without a capacity.
OPENWALL_MAX_PAPER_VOTES = env.int("OPENWALL_MAX_PAPER_VOTES", default=300)
# How many proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR). Behind a
# load balancer, set it, or every rate limit (ours and allauth's) counts the proxy as one client.
CIVICNET_TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = CIVICNET_TRUSTED_PROXY_HOPS
# Per person (per address when signed out), fixed windows: "count/period" with period s, m, h, d
# (e.g. 10/15m). Signed-in requests from one address share a backstop this many times higher.
CIVICNET_RATE_LIMIT_ADDRESS_FACTOR = env.int("RATE_LIMIT_ADDRESS_FACTOR", default=20)
CIVICNET_RATE_LIMITS = {
    "organisation_create": env.str("RATE_LIMIT_ORGANISATION_CREATE", default="5/h"),
    "invitation_send": env.str("RATE_LIMIT_INVITATION_SEND", default="30/h"),
    "issue_create": env.str("RATE_LIMIT_ISSUE_CREATE", default="10/h"),
    "comment": env.str("RATE_LIMIT_COMMENT", default="30/10m"),
    "vote": env.str("RATE_LIMIT_VOTE", default="120/10m"),
    "flag": env.str("RATE_LIMIT_FLAG", default="20/h"),
    "facilitate": env.str("RATE_LIMIT_FACILITATE", default="120/h"),
    "follow": env.str("RATE_LIMIT_FOLLOW", default="120/10m"),
    "rsvp": env.str("RATE_LIMIT_RSVP", default="30/h"),
    "issue_edit": env.str("RATE_LIMIT_ISSUE_EDIT", default="30/h"),
    "moderate": env.str("RATE_LIMIT_MODERATE", default="600/h"),
    "profile": env.str("RATE_LIMIT_PROFILE", default="30/h"),
    "organisation_edit": env.str("RATE_LIMIT_ORGANISATION_EDIT", default="30/h"),
    "membership": env.str("RATE_LIMIT_MEMBERSHIP", default="60/h"),
    "preferences": env.str("RATE_LIMIT_PREFERENCES", default="60/h"),
    "unsubscribe": env.str("RATE_LIMIT_UNSUBSCRIBE", default="30/h"),
    "data_export": env.str("RATE_LIMIT_DATA_EXPORT", default="5/h"),
    "account_delete": env.str("RATE_LIMIT_ACCOUNT_DELETE", default="10/h"),
    "translate": env.str("RATE_LIMIT_TRANSLATE", default="30/h"),
    "machine_draft": env.str("RATE_LIMIT_MACHINE_DRAFT", default="20/h"),
    "proposal_create": env.str("RATE_LIMIT_PROPOSAL_CREATE", default="20/h"),
    # Saving, submitting, withdrawing and attaching; a draft also saves itself as one types
    # (about once every two seconds of typing), which has a scope of its own.
    "proposal_edit": env.str("RATE_LIMIT_PROPOSAL_EDIT", default="120/h"),
    "proposal_autosave": env.str("RATE_LIMIT_PROPOSAL_AUTOSAVE", default="1200/h"),
    "review": env.str("RATE_LIMIT_REVIEW", default="300/h"),
    "proposal_attach": env.str("RATE_LIMIT_PROPOSAL_ATTACH", default="30/h"),  # refused files count too
}
