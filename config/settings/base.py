"""Samverkan settings, driven by environment variables.

Laptop defaults: SQLite in the project folder, Celery tasks run in-process after commit.
Production: set DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=off.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from config.csp import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# No default secret: a development key is generated only when DEBUG is on.
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The port `make run` serves on (`PORT=8001 make run`); links in emails follow it unless SITE_URL
# names the public address.
PORT = env.int("PORT", default=8000)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    # First: it guards every form field against personal identity numbers, and the admin's
    # start-up (the next app) already builds forms.
    "privacy",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "agencies",
    "cases",
    "notifications",
    "meetings",
    "decisions",
    "portfolio",
    "documents",
    "reports",
    "exports",
    "opendata",
    "learning",
    "trust",
    "citizens",
    "followups",
    "lessons",
    "config.api",
    "config.devmail",
]

MIDDLEWARE = [
    # Before everything: load balancer probes are never redirected, host-checked or logged in.
    "config.health.HealthProbeMiddleware",
    # First: every later step (HTTPS redirect, throttles, logs) sees the corrected request.
    "config.api.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.api.parsers.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.api.middleware.ApiNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions, language and user (its page has the normal header), before any view reads
    # the form: a body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a page that says what to do.
    "config.too_large.TooLargeRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.api.parsers.RejectNulInQueryMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "cases.views.context_processors.header",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Swedish first, English second. Stored in UTC, shown in Stockholm time.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as in en-GB ("1 December 2026", 24-hour times); Swedish keeps Django's formats.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded files (attachments) and generated files (PDF reports) are stored through the default
# storage: files under MEDIA_ROOT, or an S3-compatible bucket when ATTACHMENT_S3_BUCKET is set
# (docs/deployment.md). They are never served from a public URL: every download goes through an
# access-checked view (documents/, reports/).
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache and Celery: Redis when REDIS_URL is set, otherwise local memory and in-process tasks.
REDIS_URL = env("REDIS_URL", default="")
# The cache only holds what may be lost (throttle counters): with Redis down or frozen it serves
# from memory in each process (config/cache.py), after one short timeout per breaker period.
CACHE_REDIS_TIMEOUT = env.float("CACHE_REDIS_TIMEOUT", default=0.25)
CACHE_CIRCUIT_BREAKER_SECONDS = env.float("CACHE_CIRCUIT_BREAKER_SECONDS", default=5.0)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.cache.FailSafeRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: JSON only, tasks take ids. Senders acknowledge late (after the work is done) and take
# one message at a time, so a lost worker's message is redelivered, not lost with its prefetch.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
# A task that is not acknowledged within this window is redelivered; no countdown may exceed it,
# and every time limit is far below it (a slow task is never run twice because of it).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # Publishing: one immediate retry (a pooled connection may be stale after a Redis restart),
    # never a sleep between tries.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    # A worker on several queues (-Q fanout,email,webhooks) takes from them in that order, not
    # round robin: a free slot goes to a waiting fan-out (inboxes) before the next email batch.
    "queue_order_strategy": env("CELERY_QUEUE_ORDER_STRATEGY", default="priority"),
}
# /readyz answers 503 when the oldest event not yet fanned out is older than this (seconds).
READINESS_MAX_OUTBOX_LAG = env.int("READINESS_MAX_OUTBOX_LAG", default=300)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# Publishing never blocks a request: a short connect timeout, no publish retries. A message that
# cannot be published waits in the outbox table for the sweeper.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker keeps reconnecting until Redis is back
CELERY_BROKER_HEARTBEAT = 0
CELERY_TASK_PUBLISH_RETRY = False
# A broker hiccup must not cut an email batch off mid-send (the email it had claimed would wait
# for its lease): the task finishes, and with late acks a lost ack only means a redelivery that
# finds nothing left to claim.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = "UTC"
# Queues by kind of work: a slow mail server or webhook receiver never delays an inbox. A worker
# started without -Q consumes all three; `-Q fanout` (etc.) gives a queue workers of its own.
# Anything not routed (the scheduled jobs: sweeps, reminders, digests) goes to the fan-out queue.
NOTIFICATIONS_QUEUE_FANOUT = env("NOTIFICATIONS_QUEUE_FANOUT", default="fanout")
NOTIFICATIONS_QUEUE_EMAIL = env("NOTIFICATIONS_QUEUE_EMAIL", default="email")
NOTIFICATIONS_QUEUE_WEBHOOKS = env("NOTIFICATIONS_QUEUE_WEBHOOKS", default="webhooks")
# PDF reports take seconds to minutes: a queue of their own, so they never hold up a fan-out.
REPORTS_QUEUE = env("REPORTS_QUEUE", default="reports")
CELERY_TASK_DEFAULT_QUEUE = NOTIFICATIONS_QUEUE_FANOUT
# Each queue its own exchange and routing key (without them all three would share the default
# queue's binding, and every message would land in all three).
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in (
        NOTIFICATIONS_QUEUE_FANOUT,
        NOTIFICATIONS_QUEUE_EMAIL,
        NOTIFICATIONS_QUEUE_WEBHOOKS,
        REPORTS_QUEUE,
    )
]
CELERY_TASK_ROUTES = {
    "notifications.tasks.event_dispatch": {"queue": NOTIFICATIONS_QUEUE_FANOUT},
    "notifications.tasks.email_deliveries_send": {"queue": NOTIFICATIONS_QUEUE_EMAIL},
    "notifications.tasks.digest_send_for_user": {"queue": NOTIFICATIONS_QUEUE_EMAIL},
    "notifications.webhooks.tasks.*": {"queue": NOTIFICATIONS_QUEUE_WEBHOOKS},
    "reports.tasks.report_generate": {"queue": REPORTS_QUEUE},
}
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default="celerybeat-schedule")
# Without Redis there is no beat: `manage.py serve` (what `make run` starts) runs the same
# CELERY_BEAT_SCHEDULE in a thread of the web process (config/scheduler.py). With Redis, run
# exactly one `celery beat` instead.
SCHEDULE_IN_PROCESS = env.bool("SCHEDULE_IN_PROCESS", default=not REDIS_URL)
# When each in-process job last ran, so a restart neither repeats nor skips a daily job.
SCHEDULE_STATE_FILE = env(
    "SCHEDULE_STATE_FILE", default=str(BASE_DIR / "celerybeat-schedule.in-process.json")
)

# The notification pipeline (notifications/): sweeper cadence and grace, email batches, retries.
NOTIFICATIONS_SWEEP_INTERVAL = env.float("NOTIFICATIONS_SWEEP_INTERVAL", default=60.0)
# An event younger than this is still on its normal way through the broker; the sweeper waits.
NOTIFICATIONS_SWEEP_GRACE = env.float("NOTIFICATIONS_SWEEP_GRACE", default=30.0)
# An event handed to the broker is queued again only after this long, and only if it no longer
# waits in the fan-out queue (its worker died, or Redis lost it): a backlog is never doubled.
NOTIFICATIONS_SWEEP_RESEND = env.float("NOTIFICATIONS_SWEEP_RESEND", default=600.0)
NOTIFICATIONS_SWEEP_BATCH = 1000
# With a backlog, one fan-out task fans out up to this many waiting events (oldest first, rows
# another worker holds skipped), so a backlog drains at the database's pace, not the broker's.
NOTIFICATIONS_FANOUT_BATCH = env.int("NOTIFICATIONS_FANOUT_BATCH", default=20)
# After a failed publish, how long requests skip the broker (seconds).
NOTIFICATIONS_BROKER_PAUSE = env.float("NOTIFICATIONS_BROKER_PAUSE", default=10.0)
NOTIFICATIONS_EMAIL_BATCH = 50
NOTIFICATIONS_EMAIL_MAX_ATTEMPTS = 5
NOTIFICATIONS_EMAIL_RETRY_BASE = 60
# A claimed email (state "sending") older than this is taken as lost with its worker: the sweeper
# puts it back to pending and sends it again (at least once). A claim covers one SMTP send.
NOTIFICATIONS_EMAIL_SEND_LEASE = env.float("NOTIFICATIONS_EMAIL_SEND_LEASE", default=300.0)
# Emails of one kind on one case for one recipient within this many seconds go as one email
# ("Maja reported 24 measurements"); each email waits this long before it goes. 0: at once.
NOTIFICATIONS_EMAIL_BURST_WINDOW = env.float("NOTIFICATIONS_EMAIL_BURST_WINDOW", default=120.0)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Re-send outbox events whose hand-off to the broker failed or whose worker was lost.
    "outbox-sweep": {
        "task": "notifications.tasks.outbox_sweep",
        "schedule": NOTIFICATIONS_SWEEP_INTERVAL,
    },
    # Webhook deliveries whose next attempt is due (long backoffs live in the database).
    "webhook-deliveries-due": {
        "task": "notifications.webhooks.tasks.webhook_deliveries_due",
        "schedule": env.float("WEBHOOK_DUE_SWEEP_INTERVAL", default=30.0),
    },
    "overdue-reminders": {
        "task": "notifications.tasks.overdue_reminders_send",
        "schedule": crontab(hour=6, minute=0),
    },
    "daily-digests": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(hour=5, minute=30),
    },
}

# Privacy (privacy/): read notifications, email delivery logs and webhook attempt logs are kept
# this many days (12 months), then purged by a daily task in batches.
RETENTION_DAYS = env.int("RETENTION_DAYS", default=365)
CELERY_BEAT_SCHEDULE["retention-purge"] = {
    "task": "privacy.tasks.retention_purge",
    "schedule": crontab(hour=3, minute=15),
}

# PDF reports (reports/): a portfolio report of more cases than this is generated in the
# background (with a progress page and a link in the inbox), a smaller one at once. A case
# report is bounded (each section cut to its first rows) and is always generated at once.
REPORTS_AT_ONCE_MAX_CASES = env.int("REPORTS_AT_ONCE_MAX_CASES", default=10)
# "The last period" of a case report: its progress updates of this many days.
REPORTS_PERIOD_DAYS = env.int("REPORTS_PERIOD_DAYS", default=30)
# Generated files are removed this many days after they were ready (hourly sweep).
REPORTS_RETENTION_DAYS = env.int("REPORTS_RETENTION_DAYS", default=7)
# A large portfolio takes minutes: its own time limits, far below CELERY_VISIBILITY_TIMEOUT.
REPORTS_TASK_SOFT_TIME_LIMIT = env.int("REPORTS_TASK_SOFT_TIME_LIMIT", default=1500)
CELERY_BEAT_SCHEDULE["reports-purge"] = {
    "task": "reports.tasks.reports_purge",
    "schedule": crontab(minute=40),
}

# Without a broker (no REDIS_URL: tasks run in-process) no email or webhook is sent inside a
# user's request: they wait for these in-process schedule jobs, this many seconds apart at most.
NOTIFICATIONS_IN_PROCESS_SEND_INTERVAL = env.float(
    "NOTIFICATIONS_IN_PROCESS_SEND_INTERVAL", default=3.0
)
IN_PROCESS_SEND_SCHEDULE = {
    "webhook-deliveries-due": {
        "task": "notifications.webhooks.tasks.webhook_deliveries_due",
        "schedule": NOTIFICATIONS_IN_PROCESS_SEND_INTERVAL,
    },
    "emails-due": {
        "task": "notifications.tasks.emails_due_send",
        "schedule": NOTIFICATIONS_IN_PROCESS_SEND_INTERVAL,
    },
}
if not REDIS_URL:
    CELERY_BEAT_SCHEDULE.update(IN_PROCESS_SEND_SCHEDULE)

# Webhooks: delays in seconds before each retry (so at most len + 1 attempts), with jitter.
# Delays up to WEBHOOK_COUNTDOWN_MAX wait in the broker as countdowns; longer ones wait in the
# database for the webhook-deliveries-due sweep (a countdown must stay well under
# CELERY_VISIBILITY_TIMEOUT, where Redis redelivers an unacknowledged task).
WEBHOOK_RETRY_SCHEDULE = env.list(
    "WEBHOOK_RETRY_SCHEDULE", cast=float, default=[10, 30, 120, 600, 3600, 21600]
)
WEBHOOK_COUNTDOWN_MAX = env.float("WEBHOOK_COUNTDOWN_MAX", default=300)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5)
# A send task queued this long after its delivery fell due and not started is taken as lost (a
# Redis that restarted empty) and queued again. A publish that failed is not waited for: that
# delivery is due again at once (notifications/webhooks/services.py).
WEBHOOK_REQUEUE_GRACE = env.float("WEBHOOK_REQUEUE_GRACE", default=120)
# Off in production: an endpoint may not make the server post to loopback or private addresses.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=DEBUG)

# Email. In DEBUG, emails go to the local mailbox (read them at /dev/mailbox/), not the terminal.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default=(
        "config.devmail.backend.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Samverkan <noreply@samverkan.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict when DEBUG is off (`manage.py check --deploy` passes with production values).
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Honoured only when the request comes from one of TRUSTED_PROXIES (addresses or networks,
# comma-separated); config.api.middleware.TrustedProxyMiddleware strips the header otherwise.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:  # a typo here must stop the start, not answer every request 500
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _error:
        message = f"TRUSTED_PROXIES: {_proxy!r} is no address or network"
        raise ImproperlyConfigured(message) from _error
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# API request bodies: a larger one is refused with 413 before it is read; deeper JSON with 400.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
# The largest attached file; a larger upload is stopped as it arrives (documents/uploads.py).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "documents.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# S3-compatible storage for attachments (optional: pip install "django-storages[s3]").
ATTACHMENT_S3_BUCKET = env("ATTACHMENT_S3_BUCKET", default="")
if ATTACHMENT_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENT_S3_BUCKET,
            "endpoint_url": env("ATTACHMENT_S3_ENDPOINT_URL", default=None),
            "region_name": env("ATTACHMENT_S3_REGION", default=None),
            "access_key": env("ATTACHMENT_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("ATTACHMENT_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("ATTACHMENT_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then gets 401 with a WWW-Authenticate header.
        "config.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.StrictJSONParser",
        "config.api.parsers.StrictFormParser",
        "config.api.parsers.StrictMultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "config.api.exceptions.exception_handler",
    # Throttles count in the default cache: Redis when REDIS_URL is set.
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.throttling.AnonRateThrottle",
        "config.api.throttling.UserRateThrottle",
        "config.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="600/hour"),
        "user": env("API_THROTTLE_USER", default="20000/hour"),
        "writes": env("API_THROTTLE_WRITES", default="3000/hour"),
        "tokens": env("API_THROTTLE_TOKENS", default="60/hour"),
        # Failed bearer authentications per client address (then 429 for any bearer request).
        "bad_tokens": env("API_THROTTLE_BAD_TOKENS", default="30/hour"),
        # Password-reset requests (web form): per email address asked for, per client address.
        "password_reset_address": env("PASSWORD_RESET_THROTTLE_ADDRESS", default="3/hour"),
        "password_reset_client": env("PASSWORD_RESET_THROTTLE_CLIENT", default="20/hour"),
    },
    # Client addresses come from REMOTE_ADDR, which TrustedProxyMiddleware has already corrected.
    "NUM_PROXIES": 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkan API",
    "DESCRIPTION": "Cases, participations, actions, outcomes and notifications of Samverkan.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Plain examples: the highlighter's colours fall below 4.5:1 contrast (config/api/docs.py).
    "SWAGGER_UI_SETTINGS": {"syntaxHighlight": False},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "ActionStatusEnum": "cases.choices.ActionStatus",
        "ParticipationRoleEnum": "cases.choices.ParticipationRole",
        "MembershipRoleEnum": "agencies.choices.MembershipRole",
        "ParticipationStateEnum": "cases.choices.ParticipationState",
        "WebhookDeliveryStateEnum": "notifications.webhooks.choices.DeliveryState",
        "EmailDeliveryStateEnum": "notifications.choices.DeliveryState",
        "EventKindEnum": "notifications.choices.EventKind",
        "EmailModeEnum": "notifications.choices.EmailMode",
        "OrganisationKindEnum": "agencies.choices.OrganisationKind",
        "AgendaItemKindEnum": "meetings.choices.ItemKind",
        "ReportKindEnum": "reports.choices.ReportKind",
        "ObstacleKindEnum": "learning.choices.ObstacleKind",
        "FollowUpStatusEnum": "followups.choices.FollowUpStatus",
        "FollowUpVerdictEnum": "followups.choices.Verdict",
        "AttachmentOwnerKindEnum": "documents.choices.OwnerKind",
        "TrustPrincipleEnum": "trust.choices.Principle",
        "ExperienceKindEnum": "citizens.choices.ExperienceKind",
        "ExperienceStatusEnum": "citizens.choices.ExperienceStatus",
    },
}

CASE_REFERENCE_PREFIX = "SAM"
COMMITTEE_GROUP = "committee"
# The committee's secretariat (kansliet): its members prepare meetings with the committee.
SECRETARIAT_ORGANISATION = env("SECRETARIAT_ORGANISATION", default="Samverkanskommitténs kansli")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "celery.app.trace": {"level": "WARNING"},
        # Without its own handler: with Django's (DEBUG) and the root one, every line came twice.
        "django": {"handlers": [], "level": env("LOG_LEVEL", default="INFO")},
    },
}

# Sign-in security (accounts/): throttled sign-in (django-axes) and two-factor sign-in (django-otp).
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]
# The throttle's backend first: it refuses a paused account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "accounts.middleware.TwoFactorRequiredMiddleware",
)
# Last: it turns a sign-in refused for a pause into the sign-in page that explains the pause.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Failed sign-ins (a wrong password or a wrong second-factor code) are counted per account and per
# client address, each on its own: either reaching the limit pauses sign-in for the cool-off.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_PAUSE_MINUTES", default=15))
# A pause ends when it said it would: attempts during it neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The client address is REMOTE_ADDR after TrustedProxyMiddleware: X-Forwarded-For counts only
# from TRUSTED_PROXIES, so nobody picks the address their failures are counted against.
AXES_CLIENT_IP_CALLABLE = "accounts.backends.client_ip"
AXES_USERNAME_CALLABLE = "accounts.backends.client_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.signin.sign_in_paused"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Samverkan"
# Groups whose members must sign in with a second factor; "operators" means staff and superusers.
# Off by default (development, tests); production: TWO_FACTOR_REQUIRED_GROUPS=committee,operators.
TWO_FACTOR_REQUIRED_GROUPS = env.list("TWO_FACTOR_REQUIRED_GROUPS", default=[])
# How long the second step waits for its code after a correct password (seconds).
TWO_FACTOR_PENDING_SECONDS = 300

# Operations: JSON logs with request ids, Prometheus metrics (docs/deployment.md).
# LOG_FORMAT: "json" in production (one JSON object a line, for a log collector), "text" for a
# developer. Either way every record carries the request id (config/request_id.py).
LOG_FORMAT = env("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING["filters"] = {"request_id": {"()": "config.logs.RequestIdFilter"}}
LOGGING["formatters"] = {
    "text": {"()": "config.logs.TextFormatter", "fmt": "%(message)s"},
    "json": {"()": "config.logs.json_formatter"},
}
LOGGING["handlers"]["console"].update(filters=["request_id"], formatter=LOG_FORMAT)
# One access line per request (method, path, status, time, user id) under its request id; on by
# default with JSON logs (in development, runserver prints its own line).
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=LOG_FORMAT == "json")
# The request id first (every later line of the request carries it); the metrics right after
# the probes, so /metrics is answered before the HTTPS redirect and the host check, and every
# other request is counted and timed, redirects and refusals included.
MIDDLEWARE.insert(1, "config.request_id.RequestIdMiddleware")
MIDDLEWARE.insert(2, "config.metrics.MetricsMiddleware")
# /metrics answers a scraper that presents `Authorization: Bearer <METRICS_TOKEN>` or comes from
# one of METRICS_ALLOWED_ADDRESSES (addresses or networks); with neither set it is a 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=[])
for _network in METRICS_ALLOWED_ADDRESSES:
    try:
        ipaddress.ip_network(_network.strip(), strict=False)
    except ValueError as _error:
        message = f"METRICS_ALLOWED_ADDRESSES: {_network!r} is no address or network"
        raise ImproperlyConfigured(message) from _error

# Open data (/data/): who publishes it, in the DCAT-AP-SE catalogue that Sweden's data portal
# harvests. An organisation and a functional mailbox, never a person.
OPENDATA_PUBLISHER_NAME = env("OPENDATA_PUBLISHER_NAME", default="Samverkan")
OPENDATA_PUBLISHER_URL = env("OPENDATA_PUBLISHER_URL", default=SITE_URL)
OPENDATA_CONTACT_EMAIL = env("OPENDATA_CONTACT_EMAIL", default="opendata@samverkan.example")

# The committee's portfolio flags a case that needs the committee (portfolio/flags.py): no
# recorded activity for this many days, or more than this share of its open actions overdue.
PORTFOLIO_INACTIVE_DAYS = env.int("PORTFOLIO_INACTIVE_DAYS", default=30)
PORTFOLIO_OVERDUE_SHARE = env.float("PORTFOLIO_OVERDUE_SHARE", default=0.25)

# Single sign-on through the organisation's OpenID Connect provider (accounts/oidc.py,
# mozilla-django-oidc). Off unless OIDC_RP_CLIENT_ID, OIDC_OP_ISSUER and the endpoints are set,
# so a laptop needs nothing. Local password sign-in stays for operators and small organisations
# (each organisation can switch it off: Organisation.password_sign_in).
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
# The provider's end-session endpoint: sign-out then ends the provider's session too.
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
# The sign-in page's button: "Sign in with <OIDC_PROVIDER_NAME>".
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")
# Organisationsnummer of the organisation that runs the provider: a person signing in for the
# first time becomes a member of it. Empty: only people who already have an account sign in.
OIDC_PROVIDER_ORGANISATION_NUMBER = env("OIDC_PROVIDER_ORGANISATION_NUMBER", default="")
# The provider above in addresses (/oidc/sign-in/<slug>/); more providers: OIDC_PROVIDERS, a
# JSON list of objects with the fields of accounts.providers.IdentityProvider (slug, name,
# issuer, client_id, client_secret, authorization_endpoint, token_endpoint, user_endpoint,
# jwks_endpoint, logout_endpoint, organisation_number, sign_algo).
OIDC_PROVIDER_SLUG = env("OIDC_PROVIDER_SLUG", default="sso")
OIDC_PROVIDERS: list[dict] = env.json("OIDC_PROVIDERS", default=[])
OIDC_CLOCK_LEEWAY_SECONDS = env.int("OIDC_CLOCK_LEEWAY_SECONDS", default=30)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint the provider's end-session endpoint asks for
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "accounts.oidc.ProviderCallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.ProviderSignInView"
AUTHENTICATION_BACKENDS += ["accounts.oidc.ProviderBackend"]

# Content Security Policy (config/csp.py): no inline script or style anywhere. A response that
# sets its own policy keeps it (the e-mail preview's sandbox).
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = content_security_policy(
    provider_logout_endpoints=[
        url
        for url in [OIDC_OP_LOGOUT_ENDPOINT, *(p.get("logout_endpoint") for p in OIDC_PROVIDERS)]
        if url
    ]
)

# Trust self-assessment (trust/): each case's working organisations score the eight principles
# every TRUST_ROUND_INTERVAL_MONTHS (a case may set its own), answering within
# TRUST_ROUND_ANSWER_DAYS, reminded once TRUST_ROUND_REMINDER_DAYS_BEFORE the deadline. A case is
# first asked after TRUST_ROUND_FIRST_AFTER_MONTHS active. A round's averages are shown only when
# at least TRUST_ROUND_MIN_ANSWERS organisations answered: with two, each could work out the
# other's scores from the average and its own.
TRUST_ROUND_INTERVAL_MONTHS = env.int("TRUST_ROUND_INTERVAL_MONTHS", default=3)
TRUST_ROUND_ANSWER_DAYS = env.int("TRUST_ROUND_ANSWER_DAYS", default=21)
TRUST_ROUND_REMINDER_DAYS_BEFORE = env.int("TRUST_ROUND_REMINDER_DAYS_BEFORE", default=7)
TRUST_ROUND_FIRST_AFTER_MONTHS = env.int("TRUST_ROUND_FIRST_AFTER_MONTHS", default=1)
TRUST_ROUND_MIN_ANSWERS = max(2, env.int("TRUST_ROUND_MIN_ANSWERS", default=3))
CELERY_BEAT_SCHEDULE["trust-rounds"] = {
    "task": "trust.tasks.trust_rounds",
    "schedule": crontab(hour=6, minute=20),
}

# Citizens' experiences (citizens/): submissions per client address, the web form and the API
# counted together; a contact e-mail is kept only for a reply, at most this many days.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["experiences"] = env(
    "EXPERIENCES_THROTTLE", default="5/minute"
)
CITIZENS_CONTACT_RETENTION_DAYS = env.int("CITIZENS_CONTACT_RETENTION_DAYS", default=90)
# A reply to the public is an email like any other: on the email queue.
CELERY_TASK_ROUTES["citizens.tasks.experience_reply_send"] = {"queue": NOTIFICATIONS_QUEUE_EMAIL}
CELERY_BEAT_SCHEDULE["experience-contacts-purge"] = {
    "task": "citizens.tasks.experience_contacts_purge",
    "schedule": crontab(hour=3, minute=25),
}
CELERY_BEAT_SCHEDULE["experience-replies-due"] = {
    "task": "citizens.tasks.experience_replies_due_send",
    "schedule": NOTIFICATIONS_IN_PROCESS_SEND_INTERVAL if not REDIS_URL else 300.0,
}

# Effect follow-ups (followups/): when a case closes, each outcome's lead organisation reports its
# value again this many months later; a value still missing this many days after its date is
# overdue (a reminder, and the portfolio's flag). The daily job sends both reminders.
FOLLOWUP_MONTHS = tuple(env.list("FOLLOWUP_MONTHS", cast=int, default=[6, 12, 24]))
FOLLOWUP_GRACE_DAYS = env.int("FOLLOWUP_GRACE_DAYS", default=30)
CELERY_BEAT_SCHEDULE["followups-due"] = {
    "task": "followups.tasks.followups_due",
    "schedule": crontab(hour=6, minute=10),
}

# Lessons learned (lessons/): the coordinator of an evaluated or closed case is reminded once,
# this many days after being asked, while no lesson is recorded. Checked daily.
LESSONS_REMINDER_DAYS = env.int("LESSONS_REMINDER_DAYS", default=14)
CELERY_BEAT_SCHEDULE["lessons-remind-due"] = {
    "task": "lessons.tasks.lessons_remind_due",
    "schedule": crontab(hour=7, minute=10),
}
