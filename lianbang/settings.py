"""Lianbang settings: one file, every value from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lianbang.common.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LIANBANG_VAR_DIR", str(BASE_DIR / "var")))

LIANBANG_ENV = env_str("LIANBANG_ENV", "development")
IS_PRODUCTION = LIANBANG_ENV == "production"
if LIANBANG_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"LIANBANG_ENV={LIANBANG_ENV!r}: use development, test or production")

if IS_PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
else:
    SECRET_KEY = env_str("SECRET_KEY", "lianbang-development-key-not-for-production")
DEBUG = env_bool("DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "lianbang.common",
    "lianbang.org",
    "lianbang.accounts",
    "lianbang.registry",
    "lianbang.audit",
    "lianbang.monitoring",
    "lianbang.cases",
    "lianbang.employment",
    "lianbang.sync",
    "lianbang.mobile",
    "lianbang.jobs",
    "lianbang.transfer",
    "lianbang.demo",
    "lianbang.dashboards",
    "lianbang.care",
    "lianbang.policies",
    "lianbang.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lianbang.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lianbang.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lianbang.urls"
WSGI_APPLICATION = "lianbang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lianbang.web.context.navigation",
            ],
        },
    },
]


def _database_config() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "lianbang.sqlite3"),
        # WAL lets readers work while the generator or an import writes.
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lianbang.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "lianbang.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remember": 5}},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lianbang" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The Vue apps built by `make frontend` (Vite): assets under /static/app/, pages via lianbang.web.spa.
LIANBANG_FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [("app", LIANBANG_FRONTEND_DIST)] if LIANBANG_FRONTEND_DIST.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Security headers (docs/security.md). HSTS is sent on HTTPS responses only, so production
# must be served over HTTPS (or behind a TLS proxy that sets X-Forwarded-Proto).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
if env_bool("LIANBANG_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Take the client's address from the last X-Forwarded-For hop (only behind our own proxy).
LIANBANG_TRUST_X_FORWARDED_FOR = env_bool("LIANBANG_TRUST_X_FORWARDED_FOR", default=False)

# Login security (等保 level 3, DOMAIN §9): lock an account or an IP address after this many
# failures within the lock period, for the lock period.
LIANBANG_LOGIN_MAX_FAILURES = env_int("LIANBANG_LOGIN_MAX_FAILURES", 5)
LIANBANG_LOGIN_LOCK_MINUTES = env_int("LIANBANG_LOGIN_LOCK_MINUTES", 30)
LIANBANG_TOKEN_DEFAULT_DAYS = env_int("LIANBANG_TOKEN_DEFAULT_DAYS", 90)
LIANBANG_BREAK_GLASS_MINUTES = env_int("LIANBANG_BREAK_GLASS_MINUTES", 60)
OTP_TOTP_ISSUER = "链帮 Lianbang"
# The audit log is kept at least 180 days (等保); `lianbang audit prune` removes older entries.
LIANBANG_AUDIT_RETENTION_DAYS = env_int("LIANBANG_AUDIT_RETENTION_DAYS", 180)
if LIANBANG_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("LIANBANG_AUDIT_RETENTION_DAYS must be at least 180")

# The district whose code prefixes household numbers and partitions large tables.
LIANBANG_REGION_CODE = env_str("LIANBANG_REGION_CODE", "530113")
# Run queued jobs (e.g. a full re-judgement after a rule change) in-process when the request
# commits. Production sets 0 and runs the worker: `lianbang evaluate --queued`.
LIANBANG_JOBS_EAGER = env_bool("LIANBANG_JOBS_EAGER", default=True)
# API limits: requests per token (or session user, or address), changes per sync batch, body size.
LIANBANG_API_RATE = env_str("LIANBANG_API_RATE", "600/m")
LIANBANG_SYNC_BATCH_MAX = env_int("LIANBANG_SYNC_BATCH_MAX", 200)
# A visit photo as stored (the phone downscales it to 1280 px JPEG, usually 100–250 KB).
LIANBANG_VISIT_PHOTO_MAX_BYTES = env_int("LIANBANG_VISIT_PHOTO_MAX_BYTES", 600 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LIANBANG_MAX_BODY_BYTES", 5 * 1024 * 1024)
# With eager jobs, a job started from a page runs in a background thread so that the page can
# show its progress (0: in the request itself, as the tests do).
LIANBANG_JOBS_THREADED = env_bool("LIANBANG_JOBS_THREADED", default=True)
# Production background jobs (LIANBANG_JOBS_EAGER=0): Celery with Redis (docs/transfer.md).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs under Celery beat (docs/cases.md): the assistance chain's tick (cases for pending
# alerts, reminders, overdue steps, escalation) and the outbox delivery, every so many seconds.
LIANBANG_TICK_SECONDS = env_int("LIANBANG_TICK_SECONDS", 300)
LIANBANG_OUTBOX_SECONDS = env_int("LIANBANG_OUTBOX_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "cases-tick": {"task": "lianbang.cases.tick", "schedule": float(LIANBANG_TICK_SECONDS)},
    "cases-outbox": {"task": "lianbang.cases.deliver_outbox", "schedule": float(LIANBANG_OUTBOX_SECONDS)},
}
# An import of at least this many households saves them without judging each one and then
# judges the whole district once, set-based (docs/transfer.md has the measurements).
LIANBANG_IMPORT_BULK_EVALUATION_FROM = env_int("LIANBANG_IMPORT_BULK_EVALUATION_FROM", 200)
# Largest spreadsheet the console accepts for an import or a department list.
LIANBANG_UPLOAD_MAX_MB = env_int("LIANBANG_UPLOAD_MAX_MB", 50)
# Password given to every generated demo account (never used in production).
LIANBANG_DEMO_PASSWORD = env_str("LIANBANG_DEMO_PASSWORD", "Lianbang@2026")
# Demo mode: accounts logging in with the demo password skip the forced first password change
# and the second factor, and the login page says so. Never in production.
LIANBANG_DEMO_MODE = env_bool("LIANBANG_DEMO_MODE", default=False)
if IS_PRODUCTION and LIANBANG_DEMO_MODE:
    raise ImproperlyConfigured("LIANBANG_DEMO_MODE cannot be on when LIANBANG_ENV=production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
