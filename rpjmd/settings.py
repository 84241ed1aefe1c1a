"""One settings module, driven by the environment (see .env.example and docs/decisions.md)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}: {raw!r}")
    return value


def database_from_url(url: str) -> dict:
    """postgres://user:pass@host:port/name?sslmode=require, sqlite:////absolute/path or
    sqlite:///relative/path (the dj-database-url conventions)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:]) or ":memory:",
        }
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        # Reuse connections between requests, but check them first so that a restarted
        # PostgreSQL costs one retried request, not a burst of errors.
        "CONN_MAX_AGE": int(env("DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        # Every choice field iterates its queryset with .iterator(), which on PostgreSQL opens a
        # server-side cursor: extra round trips for a list of twenty kecamatan, several times per
        # form. No query here returns more rows than fit in memory; a transaction-pooling
        # PgBouncer (docs/deploy.md) needs this setting too.
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }


DEBUG = env_bool("DEBUG")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the project form renderer falls back to Django's own widget templates
    "csp",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rpjmd",
    "issues",
    "fgd",
    "drafts",
    "regional",
]

MIDDLEWARE = [
    # Outermost: the header goes on every response, the HTTPS redirect and static files too.
    "rpjmd.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and the database: turns failed htmx requests into a message fragment.
    "rpjmd.errors.HtmxErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After LoginRequiredMiddleware: its view check runs first, then the second step's.
    "rpjmd.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # (runs before LoginRequiredMiddleware's view check, which happens after every __call__)
    "rpjmd.middleware.SessionTimeoutMiddleware",
    "rpjmd.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rpjmd.htmx.HtmxLoginRedirectMiddleware",
    "rpjmd.middleware.RegionTimezoneMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rpjmd.urls"
WSGI_APPLICATION = "rpjmd.wsgi.application"

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
                "rpjmd.context_processors.navigation",
            ],
            # Django's date and time filters, writing 08.00 in Indonesian (rpjmd/clock.py).
            "builtins": ["rpjmd.clock"],
        },
    },
]
FORM_RENDERER = "rpjmd.forms.ProjectFormRenderer"

DATABASES = {
    "default": database_from_url(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite serves one writer at a time; wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "rpjmd.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rpjmd.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Names of the place and the institution are the first guesses of anyone attacking a pemda.
    {"NAME": "rpjmd.passwords.LocalWordsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Two-factor login (TOTP): required for these roles, and for anyone who has set it up.
TWO_FACTOR_ROLES = ["planner", "admin"]
OTP_TOTP_ISSUER = "Meja Kerja RPJMD"
# After five wrong codes django-otp makes the next try wait 1, 2, 4, ... seconds (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Login throttling: five wrong passwords for one username from one address lock that pair.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rpjmd.views.login_locked_out"
# Password spraying (many usernames, one address): 20 failures from one address within the
# cool-off lock that address for every username (rpjmd/throttle.py, docs/decisions.md).
AXES_HANDLER = "rpjmd.throttle.AddressAwareHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = 20
# Trusted reverse proxies in front of the app, each appending to X-Forwarded-For. One helper,
# rpjmd.addresses.client_ip, turns it into the client address for axes, the audit trail and the
# FGD check-in limit.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "rpjmd.addresses.client_ip"

# Sessions (docs/decisions.md, "Hardening"): a session ends after 30 minutes without a request
# (idle) and 10 hours after login (absolute: one working day), whichever comes first; logout,
# deactivation and a password change end it at once. Sessions live in the database, so every
# web process sees the same ones.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(60 * 60 * 10)))
SESSION_ABSOLUTE_TIMEOUT = timedelta(seconds=SESSION_COOKIE_AGE)
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(env("SESSION_IDLE_MINUTES", "30")))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# htmx sends the token from <body hx-headers>, so no script ever needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "rpjmd.errors.csrf_failure"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The default zone for users without a region; each request activates its region's zone.
TIME_ZONE = env("TIME_ZONE", "Asia/Makassar")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    # FileSystemStorage that removes a half-written file when the disk is full.
    "default": {"BACKEND": "rpjmd.storage.CleanFileSystemStorage"},
    # Evidence, issued FGD documents and PDF exports: MEDIA_ROOT/private/, no public address,
    # served by permission-checked views only. Models reach it as rpjmd.storage.private_storage:
    # another backend or location here moves them all.
    "private": {"BACKEND": "rpjmd.storage.PrivateFileSystemStorage"},
    # The PDF parts cache (drafts/export.py): rendered chapters under the hash of their HTML.
    "pdf_parts": {"BACKEND": "rpjmd.storage.PartCacheFileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed, cached forever in production; needs `collectstatic` first.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Object storage (docs/deploy.md, docs/decisions.md "Beyond one machine"): with S3_BUCKET set,
# the three aliases above live in that bucket under their own prefixes instead of on this
# machine's disk, so any web node or worker reads what another wrote. The bucket blocks public
# access; objects get no ACL; the permission-checked views stream them to the browser.


def object_storages(
    bucket: str,
    *,
    endpoint_url: str | None = None,
    region: str = "us-east-1",
    access_key: str | None = None,
    secret_key: str | None = None,
    addressing_style: str = "path",
) -> dict:
    """The "default", "private" and "pdf_parts" aliases in one S3 bucket, each under its own
    prefix. Objects get no ACL (the bucket owner's only) and any URL made at all is signed and
    lives a minute: files reach browsers through the permission-checked views alone."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,  # None: AWS itself
        "region_name": region,
        # None: boto3's own chain (instance role, ~/.aws); never in the repository.
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "addressing_style": addressing_style,
        # An object read (a download streamed, a picture for a PDF) is held in memory up to
        # this size, beyond it in a temporary file: ten 10 MB downloads at once stay small.
        "max_memory_size": 5 * 1024 * 1024,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": common | {"location": "media", "file_overwrite": False},
        },
        "private": {
            "BACKEND": "rpjmd.storage.PrivateS3Storage",
            "OPTIONS": common | {"location": "private", "file_overwrite": False},
        },
        # Content-keyed: writing a name again writes the same bytes.
        "pdf_parts": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": common | {"location": "cache/pdf", "file_overwrite": True},
        },
    }


S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    STORAGES |= object_storages(
        S3_BUCKET,
        endpoint_url=env("S3_ENDPOINT_URL"),
        region=env("S3_REGION", "us-east-1"),
        access_key=env("S3_ACCESS_KEY_ID"),
        secret_key=env("S3_SECRET_ACCESS_KEY"),
        addressing_style=env("S3_ADDRESSING_STYLE", "path"),
    )
# Uploaded and generated files are readable by the app's own user only (evidence, imports,
# berita acara); folders likewise. FileSystemStorage applies these to every file it writes.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Heavy work inside web requests (PDF previews, FGD documents, upload checks): at most one per
# user and this many on the machine at a time (rpjmd/heavy.py); lock files live here.
HEAVY_WORK_SLOTS = int(env("HEAVY_WORK_SLOTS", "2"))
HEAVY_WORK_LOCK_DIR = Path(env("HEAVY_WORK_LOCK_DIR", str(VAR_DIR / "locks")))
# PDF export (drafts/export.py, drafts/tasks.py; figures in docs/decisions.md, issue 7).
# Rendered parts are cached on disk under the hash of their HTML and pruned after some days.
PDF_CACHE_DIR = Path(env("PDF_CACHE_DIR", str(VAR_DIR / "cache" / "pdf")))
PDF_CACHE_DAYS = env_int("PDF_CACHE_DAYS", 14, minimum=1)
# Renderer processes per export (0: render in the worker process itself).
PDF_EXPORT_WORKERS = env_int("PDF_EXPORT_WORKERS", 2)
# Parts rendering at once for exports on this machine, all task workers together (lock files
# under HEAVY_WORK_LOCK_DIR): one per core this process may run on (a container's or taskset's
# cpuset, not the host's count), so twenty queued exports load the machine as one does and
# pages keep their speed (issue 15). 0: no limit.
# (Linux only: elsewhere, as on a developer's Mac, the host's count.)
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
PDF_RENDER_SLOTS = env_int("PDF_RENDER_SLOTS", _CORES or 2, minimum=0)
# Characters of text per rendered part: about 10 pages (a sub-bab), so one edit renders little.
PDF_SEGMENT_CHARS = env_int("PDF_SEGMENT_CHARS", 30_000, minimum=1000)
# The worker and its renderers run at this nice level (absolute), so pages stay fast during an
# export while a busy server still gives the export its share (issue 18: at 10, plus 10 for
# the renderers, an export took 3x a single rendering on a busy machine).
# PDF_EXPORT_LOWER_WORKER_PRIORITY=0 keeps the worker itself at normal priority.
PDF_EXPORT_NICE = env_int("PDF_EXPORT_NICE", 3)
PDF_EXPORT_LOWER_WORKER_PRIORITY = env_bool("PDF_EXPORT_LOWER_WORKER_PRIORITY", True)
# Per renderer process: its memory limit (a runaway table fails the export, not the server;
# 0: none), and the seconds the parallel rendering may take before the export fails.
PDF_EXPORT_MEMORY_MB = env_int("PDF_EXPORT_MEMORY_MB", 2048)
PDF_EXPORT_TIMEOUT = env_int("PDF_EXPORT_TIMEOUT", 600, minimum=10)

# Development (DEBUG) mail goes to a folder of readable files (rpjmd/mail.py), not the console.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "rpjmd.mail.OutboxBackend" if DEBUG else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_OUTBOX_DIR = Path(env("EMAIL_OUTBOX_DIR", str(VAR_DIR / "outbox")))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "rpjmd@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the app, for links in e-mails (requests know their host; mail does not).
# `make run` sets it from its HOST and PORT; without it, those of the environment.
SITE_URL = env("SITE_URL") or f"http://{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Served over HTTPS (directly or behind a TLS-terminating proxy): on by default in production.
# Turn it off only for plain-HTTP use on 127.0.0.1 (tests, `make prod` load runs).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # monitoring probes speak plain HTTP inside the network
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if PROXY_COUNT:  # only trust the proxy's scheme header when there is a proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and
    # for path /: no subdomain or plain-HTTP page can plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script, no plugins, no framing, forms post
# only here. A module that needs more loosens it for its own views with django-csp's
# `@csp_update({"style-src": [...]})` decorator; a site-wide need is added to these DIRECTIVES
# (see docs/decisions.md, "Hardening").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # blob: lets the section editor show a pasted picture before it is uploaded.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Logs: one JSON object per line in production (control characters escaped, so a username
# with a newline cannot forge a log line); readable text when DEBUG is on.
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "rpjmd.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # its start-up banner, printed by every command
        "weasyprint.progress": {"level": "WARNING"},  # one line per rendering step
        # Security events (rpjmd/audit.py); also stored in the AuditEvent table.
        "rpjmd.audit": {"level": "INFO"},
    },
}
