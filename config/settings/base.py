"""Settings, read from the environment (django-environ).

The same code runs in development and production: variables switch it.
Every variable is parsed strictly; a bad value stops the start with a clear message.

    DEBUG                 "1"/"0" (default 0)
    SECRET_KEY            required unless DEBUG (or `manage.py makemigrations`, which reads only the code)
    ALLOWED_HOSTS         comma-separated, required unless DEBUG (idem)
    DATABASE_URL          default: embedded SQLite file var/db.sqlite3
    REDIS_URL             Celery broker and result backend; unset: tasks run in-process
    MEDIA_ROOT            private uploads and letters (never served as static), when no bucket is set
    S3_BUCKET, S3_*       object storage for them instead (see the STORAGES block)
    DEMO_PASSWORD         password of the demo accounts (default "demo" only with DEBUG)
    EMAIL_URL             default console backend
    SITE_URL              public address used in e-mail links (default http://127.0.0.1:8000)
    SECURE_SSL_REDIRECT   default 1 in production
    LETTER_VERIFY_LIMIT   public letter checks per client address and window (default 20 per 600 s)
    LETTER_SIGNING_P12[_<SENDER>], LETTER_SIGNING_PASSPHRASE[_<SENDER>]
                          PKCS#12 signing letters (per sender, e.g. _ARS_53, or for the platform);
                          unset: a demonstration certificate (letters/signing.py)
    PROCONNECT_*          ProConnect sign-in (client id and secret, discovery URL)
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; anything but a clear yes/no stops the start."""
    raw = env.str(name, default="1" if default else "0").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


DEBUG = env_bool("DEBUG", False)

# `manage.py makemigrations` only compares the migration files with the models: it signs nothing and
# serves nobody, so it runs without the production secrets (a bare `manage.py makemigrations --check`
# works on any checkout). Every other command, and every server, still requires them.
_READS_CODE_ONLY = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] == ["makemigrations"]

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or _READS_CODE_ONLY):
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (production).")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS and not _READS_CODE_ONLY:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is off (production).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # runserver (make run) without Django's static handler, which answers 500 to a path traversal;
    # WhiteNoise serves the static files in every mode.
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "dsfr",
    "guardian",
    "axes",
    "django_fsm_log",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "core",
    "accounts",
    "centres",
    "labellisation",
    "crmr_procedures",
    "letters",
    "activity_reports",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed (issue 15, item 8); static files come compressed from WhiteNoise above it.
    # BREACH: see docs/decisions.md (Django masks the CSRF token anew in every response).
    "core.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.FrenchErrorPagesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "core.context_processors.navigation",
            ],
            # French typography (issue 13, item 5) in every template without a {% load %}: date_fr, amount_fr,
            # number_fr, de/a/par, numero, agree.
            "builtins": ["core.templatetags.typography"],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# DSFR forms: fields are required unless marked "(facultatif)", with a note at the top of the page
# (issue 17, item 2; the DSFR no longer marks required fields with an asterisk).
DSFR_MARK_OPTIONAL_FIELDS = True

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
# Database roles (issue 16, item 5): the application connects with DATABASE_URL as a role that reads and
# writes rows only; the schema is changed by the owner of the tables, DATABASE_OWNER_URL, used by the
# commands that need it (migrations, and the grants that follow them). Unset: DATABASE_URL for all.
_OWNER_COMMANDS = {"migrate", "grant_app_role", "showmigrations"}
_RUNS_AS_OWNER = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] and sys.argv[1] in _OWNER_COMMANDS
if _RUNS_AS_OWNER and env.str("DATABASE_OWNER_URL", default=""):
    DATABASES["default"] = env.db("DATABASE_OWNER_URL")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# ProConnect (OpenID Connect, mozilla-django-oidc) for State agents, when PROCONNECT_CLIENT_ID is set: the
# provider's endpoints come from its discovery document; authorization code with PKCE, state and nonce;
# accounts are matched by e-mail, never created (accounts/proconnect.py). Local passwords stay.
PROCONNECT_DISCOVERY_URL = env.str("PROCONNECT_DISCOVERY_URL", default="").strip()
OIDC_RP_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="").strip()
OIDC_RP_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
if OIDC_RP_CLIENT_ID and not (OIDC_RP_CLIENT_SECRET and PROCONNECT_DISCOVERY_URL):
    raise ImproperlyConfigured("PROCONNECT_CLIENT_ID needs PROCONNECT_CLIENT_SECRET and PROCONNECT_DISCOVERY_URL.")
if PROCONNECT_DISCOVERY_URL and not PROCONNECT_DISCOVERY_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"PROCONNECT_DISCOVERY_URL={PROCONNECT_DISCOVERY_URL!r} is not an http(s) URL.")
OIDC_RP_SIGN_ALGO = env.str("PROCONNECT_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("PROCONNECT_SCOPES", default="openid email given_name usual_name")
_acr = env.str("PROCONNECT_ACR_VALUES", default="eidas1").strip()
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": _acr} if _acr else {}
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for the logout at the provider (id_token_hint)
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("PROCONNECT_TIMEOUT", 10, minimum=1)
OIDC_AUTHENTICATE_CLASS = "accounts.proconnect.ProConnectStartView"
OIDC_CALLBACK_CLASS = "accounts.proconnect.ProConnectCallbackView"
OIDC_OP_LOGOUT_URL_METHOD = "accounts.proconnect.provider_logout_url"
LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.insert(2, "accounts.proconnect.ProConnectBackend")
ANONYMOUS_USER_NAME = None
# Login throttling: 5 failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind the production reverse proxy every request comes from the proxy's address: the client's own is
# read from X-Forwarded-For, trusting only the entries written by the TRUSTED_PROXY_COUNT proxies in front
# (accounts.client_ip). 0 (the default): no proxy, the header is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "username"  # guardian: no anonymous user row

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# The demonstration signing certificate (letters/signing.py) lives beside the database, never in the
# media storage: a private key is not a document, and under object storage nothing is written locally there.
LETTER_SIGNING_DEMO_DIR = Path(env.str("LETTER_SIGNING_DEMO_DIR", default=str(BASE_DIR / "var" / "signing")))
# MEDIA_URL is deliberately unset: uploads and letters are served by views that check permissions.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Object storage (S3-compatible: Outscale, OVHcloud, Scaleway, MinIO…) when S3_BUCKET is set: uploads,
# letters and export archives then live in the bucket, private (no public ACL, no public URL) and every
# host (web servers, workers) shares them; without it, the local folder MEDIA_ROOT (`make run`).
# Downloads always pass through the views' permission checks: streamed by the application, or with
# S3_SIGNED_URLS=1 a redirect to a signed URL valid S3_URL_EXPIRY seconds, issued after the check.
S3_BUCKET = env.str("S3_BUCKET", default="").strip()
_S3_OTHERS = sorted(name for name in os.environ if name.startswith("S3_") and os.environ[name] and name != "S3_BUCKET")
if _S3_OTHERS and not S3_BUCKET:
    raise ImproperlyConfigured(f"{', '.join(_S3_OTHERS)} set without S3_BUCKET: name the bucket or unset them.")
# What every bucket client of the application uses, whatever the bucket (also the tests' moto bucket).
S3_STORAGE_OPTIONS = {
    "signature_version": "s3v4",
    "default_acl": "private",
    "querystring_auth": True,
    "file_overwrite": False,  # as on disk: a name already taken gets a suffix, nothing is replaced
    "max_memory_size": 2 * 1024 * 1024,  # a larger object read back spills to a temporary file
}
S3_SIGNED_URLS = env_bool("S3_SIGNED_URLS", False)
S3_URL_EXPIRY = env_int("S3_URL_EXPIRY", 60, minimum=1)
if S3_BUCKET:
    _s3_endpoint = env.str("S3_ENDPOINT_URL", default="").strip() or None
    if _s3_endpoint and not _s3_endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"S3_ENDPOINT_URL={_s3_endpoint!r} must start with http:// or https://.")
    _s3_style = env.str("S3_ADDRESSING_STYLE", default="path" if _s3_endpoint else "auto").strip()
    if _s3_style not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE={_s3_style!r} must be path, virtual or auto.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": _s3_endpoint,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "location": env.str("S3_PREFIX", default="").strip("/"),
            "addressing_style": _s3_style,
            "querystring_expire": S3_URL_EXPIRY,
            **S3_STORAGE_OPTIONS,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# ClamAV (core.antivirus): clamd's local socket path, or tcp://host:port. Fail closed: when it is set and
# clamd does not answer, uploads are refused; when it is unset, uploads are refused too unless
# ANTIVIRUS_REQUIRED is off, which is the default only with DEBUG (make run needs no daemon).
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="").strip()
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30, minimum=1)
ANTIVIRUS_REQUIRED = env_bool("ANTIVIRUS_REQUIRED", not DEBUG)

# Celery: with no REDIS_URL, tasks run in-process (eager) so `make run` needs nothing else.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message taken by a worker that dies unacknowledged is delivered again after this many seconds.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600, minimum=1),
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10, minimum=1),
    "unacked_restore_throttle": env_int("CELERY_RESTORE_THROTTLE", 10, minimum=1),
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
# Workers keep their database connection between tasks as web processes do (CONN_MAX_AGE, checked before
# each task in config.celery); Celery's own default closes it after every task, and a new PostgreSQL
# connection costs more than a letter-export part. Reconnect at least every 500 tasks.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 500, minimum=1)
# Letters per part of a bulk ZIP export, each part built by whichever worker is free (reporting.services).
# 250 letters (~6 MB): a task's own cost (message, query, file) stays small against its work; parts of 50
# made an export of 4 × 1,000 letters take 1.4 s on one worker instead of 0.8 s (make bench).
LETTER_EXPORT_CHUNK = env_int("LETTER_EXPORT_CHUNK", 250, minimum=1)
# Publishing must fail fast when the broker is down: the outbox (pending letters) keeps the work.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
from celery.schedules import crontab  # noqa: E402  (the daily digest runs at a fixed hour)

CELERY_BEAT_SCHEDULE = {
    "dispatch-pending-letters": {"task": "letters.tasks.dispatch_pending_letters", "schedule": 60.0},
    "dispatch-pending-notifications": {
        "task": "reporting.tasks.dispatch_pending_notifications",
        "schedule": 900.0,
    },
    "purge-expired-letter-exports": {"task": "reporting.tasks.purge_expired_exports", "schedule": 3600.0},
    "compute-deadline-alerts": {"task": "reporting.tasks.compute_alerts", "schedule": 3 * 3600.0},
    # Acts decided earlier take effect at midnight: today's values on CRMR rows and coordinator access.
    "refresh-registry-current": {
        "task": "centres.tasks.refresh_registry_current",
        "schedule": crontab(hour=0, minute=5),
    },
    "sync-coordinator-access": {
        "task": "accounts.tasks.sync_coordinator_access",
        "schedule": crontab(hour=0, minute=10),
    },
    "send-daily-digests": {
        "task": "reporting.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# The dashboards' figures, per region, kept this long at most (reporting.dashboard_cache; 0: not kept).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@sante.gouv.fr")
# The footer's legal pages (issue 17, item 1): who to write to, the data protection officer's address if
# one is given, the host named by the mentions légales, the date of the accessibility statement.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="dgos-pf2@sante.gouv.fr")
DPO_EMAIL = env.str("DPO_EMAIL", default="")
LEGAL_HOSTING = env.str(
    "LEGAL_HOSTING",
    default="Ministère chargé de la santé, 14 avenue Duquesne, 75350 Paris 07 SP "
    "(hébergement à préciser par l'exploitant)",
)
ACCESSIBILITY_STATEMENT_DATE = env.str("ACCESSIBILITY_STATEMENT_DATE", default="2 décembre 2026")
# A mail the SMTP server refuses (or cannot take) is tried again by Celery: after EMAIL_RETRY_DELAY seconds,
# doubled each time, EMAIL_MAX_RETRIES times; the notification stays unsent until then (beat sweeps it).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
EMAIL_RETRY_DELAY = env_int("EMAIL_RETRY_DELAY", 30, minimum=0)
EMAIL_MAX_RETRIES = env_int("EMAIL_MAX_RETRIES", 8, minimum=0)

# Public address of the site: e-mails carry absolute links built on it (no request to ask the host from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").strip().rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or not SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} must start with http:// or https:// (e.g. https://crmr.sante.gouv.fr)."
    )

LETTER_VERIFY_LIMIT = env_int("LETTER_VERIFY_LIMIT", 20, minimum=1)
LETTER_VERIFY_WINDOW = env_int("LETTER_VERIFY_WINDOW", 600, minimum=1)

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo" if DEBUG else "")

# Security headers (production values when DEBUG is off).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

if PROCONNECT_DISCOVERY_URL:
    # Signing out posts a form whose answer redirects to ProConnect's end-session endpoint: browsers apply
    # form-action to that redirect, so the provider's origin (that of its discovery URL) is allowed.
    _provider = urlsplit(PROCONNECT_DISCOVERY_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_provider.scheme}://{_provider.netloc}")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.SessionAuthenticationWithChallenge"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Centres experts",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.document_error_responses"],
}

# Days a dossier may wait for one actor before it is flagged late (issue 6 alerts).
WAITING_ALERT_DAYS = env_int("WAITING_ALERT_DAYS", 15, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
