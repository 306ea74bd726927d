"""Anvis settings. Every value comes from the environment; see `.env.example`.

`ANVIS_ENV=production` switches on the hardened profile and refuses to start without a real
`SECRET_KEY`. The default profile is development on SQLite under `var/`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from anvis.common.env import env_bool, env_choice, env_int, env_int_map, env_list
from anvis.demo.context import PUBLISHED_PASSWORD as PUBLISHED_DEMO_PASSWORD

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src"
VAR_DIR = Path(os.environ.get("ANVIS_VAR_DIR", BASE_DIR / "var"))


# A typo must not start the development profile (published keys): only these two are read.
ANVIS_ENV = env_choice("ANVIS_ENV", "development", ["development", "production"])
PRODUCTION = ANVIS_ENV == "production"
# Developer mode (Django's debug pages with technical detail): off unless DEBUG=1, also in the
# demo (`make run`), which shows the Danish error pages. Never on in production.
DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION

_DEV_SECRET = "dev-insecure-secret-key-only-for-local-development-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (
    len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when ANVIS_ENV=production"
    )

# Field encryption (CPR, case notes) and the keyed hash for CPR lookups; see docs/cases.md.
# ANVIS_FIELD_KEYS: comma-separated Fernet keys, the first encrypts, all decrypt (rotation).
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZHU="
_DEV_LOOKUP_KEY = "dev-only-lookup-key-not-for-production"
ANVIS_FIELD_KEYS = env_list("ANVIS_FIELD_KEYS", "" if PRODUCTION else _DEV_FIELD_KEY)
ANVIS_LOOKUP_KEY = os.environ.get("ANVIS_LOOKUP_KEY", "" if PRODUCTION else _DEV_LOOKUP_KEY)
if PRODUCTION and (not ANVIS_FIELD_KEYS or _DEV_FIELD_KEY in ANVIS_FIELD_KEYS):
    raise ImproperlyConfigured("ANVIS_FIELD_KEYS must be set when ANVIS_ENV=production")
if ANVIS_FIELD_KEYS:
    # Every key readable now, not at the first page that decrypts (a server error on each).
    from anvis.common.fields import field_keys_check

    field_keys_check(ANVIS_FIELD_KEYS)
if PRODUCTION and (len(ANVIS_LOOKUP_KEY) < 32 or ANVIS_LOOKUP_KEY == _DEV_LOOKUP_KEY):
    raise ImproperlyConfigured(
        "ANVIS_LOOKUP_KEY must be a random value of at least 32 characters in production"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # Installed for its Danish messages (a field's errors in the API); it has no models.
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "anvis.common",
    "anvis.accounts",
    "anvis.audit",
    "anvis.stock",
    "anvis.agreements",
    "anvis.cases",
    "anvis.monitoring",
    "anvis.security",
    "anvis.vacancies",
    "anvis.notifications",
    "anvis.simulation",
    "anvis.matching",
    "anvis.reports",
    "anvis.api",
    "anvis.background",
    "anvis.tenancy",
    "anvis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anvis.common.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "anvis.security.middleware.SessionLimitsMiddleware",
    "anvis.security.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "anvis.common.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes requires: it turns a lockout into the Danish lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anvis.config.urls"
WSGI_APPLICATION = "anvis.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "anvis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anvis.common.context_processors.navigation",
                "anvis.notifications.context_processors.unread_notifications",
            ],
            "builtins": ["anvis.common.templatetags.formats"],
        },
    }
]

# The cache holds computed ledgers (keyed by a fingerprint of the turn records, so never stale)
# and the API's rate counters. With REDIS_URL set (several app servers), it is shared through
# Redis, so a rate limit counts across servers; without it each process keeps its own small
# cache in memory (one server: the embedded default). Nothing else is kept between requests
# outside the database: sessions, login lockouts and tasks are in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "anvis"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "anvis",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Background work: Django's tasks API (the django-tasks backport) on the database backend; the
# worker is `manage.py task_worker`, the schedule `manage.py task_scheduler`
# (docs/adr/0002-task-queue.md, docs/operations.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ANVIS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A task whose worker has not sent a heartbeat for this long is put back in the queue.
ANVIS_WORKER_STALE_SECONDS = env_int("ANVIS_WORKER_STALE_SECONDS", 60, minimum=1)

_default_db = f"sqlite:///{VAR_DIR / 'anvis.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_db,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "common:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on through the organisations' OpenID Connect providers (docs/sso.md).
    "anvis.accounts.oidc.ProviderBackend",
]
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
LOGIN_REDIRECT_URL_FAILURE = "/konto/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, minimum=1)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anvis.security.passwords.CharacterClassValidator"},
]

# Argon2id at OWASP's parameters; older hashes are upgraded at login (docs/security.md).
PASSWORD_HASHERS = [
    "anvis.security.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [SRC_DIR / "anvis" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Idle timeout: the session cookie is renewed on every request, so SESSION_COOKIE_AGE is the time
# without activity after which the user must log in again. ANVIS_SESSION_MAX_AGE caps the
# whole session from login, however active (anvis.security.middleware.SessionLimitsMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 30, minimum=1)
SESSION_SAVE_EVERY_REQUEST = True
ANVIS_SESSION_MAX_AGE = env_int("ANVIS_SESSION_MAX_AGE", 60 * 60 * 10, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The health check answers plain HTTP too: a load balancer checks each app server directly,
# without the proxy's X-Forwarded-Proto, and a redirect to https would mark it as down.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from one
# address, that combination is locked for AXES_COOLOFF_MINUTES.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_VERBOSE = False
if os.environ.get("AXES_PROXY_COUNT"):
    # Behind N trusted reverse proxies the client address is taken from X-Forwarded-For.
    AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor login (TOTP). Optional for everyone; with ANVIS_REQUIRE_2FA=1 municipal roles must
# enrol and verify a code after the password before they see anything.
ANVIS_REQUIRE_2FA = env_bool("ANVIS_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Anvis")

# Retention: citizens whose cases have all been closed this many years are anonymised by
# `manage.py anonymise_closed_cases` (see docs/privacy.md for the reasoning).
ANVIS_RETENTION_YEARS = env_int("ANVIS_RETENTION_YEARS", 5, minimum=1)
# The login lockout's records of staff logins (address, browser, time) are kept this many days
# for the security review of recent logins, then deleted nightly (docs/privacy.md).
ANVIS_LOGIN_RECORD_DAYS = env_int("ANVIS_LOGIN_RECORD_DAYS", 180, minimum=1)
# Follow-up deadlines in working days per early-warning kind, e.g. "demand=2,arrears=5"
# (docs/tenancy.md); kinds not named keep the defaults.
ANVIS_TENANCY_FOLLOW_UP_DAYS = env_int_map("ANVIS_TENANCY_FOLLOW_UP_DAYS")

# The legal rules (anvis_core.law): a JSON file of rule versions that replace the built-in ones
# for the keys it names (docs/law.md). Empty: the table as shipped.
ANVIS_LAW_OVERRIDES = os.environ.get("ANVIS_LAW_OVERRIDES", "")

# Days that public administration customarily closes although they are not public holidays,
# counted as closed in every working-day deadline (anvis_core.calendar): comma-separated among
# grundlovsdag, juleaftensdag and nytaarsaftensdag. Unset: all three; empty: none (docs/flow.md).
ANVIS_EXTRA_CLOSING_DAYS = os.environ.get(
    "ANVIS_EXTRA_CLOSING_DAYS", "grundlovsdag,juleaftensdag,nytaarsaftensdag"
)

# Production sends by SMTP; the demo and development keep e-mails in the outbox that the
# administrator reads in the site (Drift → Udbakke).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "anvis.background.mail.OutboxBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "anvis@localhost")
ANVIS_BASE_URL = os.environ.get("ANVIS_BASE_URL", "")  # host for links in notification e-mails

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_cpr": {"()": "anvis.common.logging.RedactCprFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "style": "{",
            "format": "[{server_time}] {message}",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_cpr"]},
        # The development server's access log (runserver), masked like the application's.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_cpr"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Django's own console handler has no mask: its records go to the masked root handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # The worker reports every task it starts and finishes.
        "django_tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}

# Demo accounts are created with this password by `manage.py load_demo`.
ANVIS_DEMO_PASSWORD = os.environ.get("ANVIS_DEMO_PASSWORD", "") or PUBLISHED_DEMO_PASSWORD
ANVIS_SIMULATION_WORKERS = env_int("ANVIS_SIMULATION_WORKERS", 2, minimum=1)

WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

from anvis.api.conf import (  # noqa: E402, F401
    ANVIS_API_MAX_BODY_BYTES,
    ANVIS_API_MAX_JSON_DEPTH,
    ANVIS_WEBHOOK_ALLOWED_TARGETS,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
)
