"""Django settings for smartplan.

Every setting that differs between machines is read from the environment here, once,
with a default that makes the embedded demo work without any configuration.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from smartplan.core.data_dir import secret_key_lazy

# Lets admin classes be written ModelAdmin[Model] for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent

# Where the SQLite database, the generated secret key and collected static files live.
DATA_DIR = Path(os.environ.get("SMARTPLAN_DATA_DIR", "./var")).resolve()

# Debug pages show source code and settings: off unless asked for.
DEBUG = os.environ.get("SMARTPLAN_DEBUG", "").lower() in {"1", "true", "yes", "on"}

# Public address of this instance; used for absolute links (open data, e-mails) and for
# deriving the allowed host names.
BASE_URL = os.environ.get("SMARTPLAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


# Django's secret key. Without SMARTPLAN_SECRET_KEY, a key generated once into the data
# directory, read (or made) when first used: importing settings writes nothing.
SECRET_KEY = os.environ.get("SMARTPLAN_SECRET_KEY") or secret_key_lazy(DATA_DIR)

_base_host = BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
ALLOWED_HOSTS = sorted({_base_host, "127.0.0.1", "localhost"})
CSRF_TRUSTED_ORIGINS = [BASE_URL]

# PostgreSQL in production (SMARTPLAN_DATABASE_URL); SQLite in the data directory otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SMARTPLAN_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'smartplan.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a long import writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
    # Kept open between requests, as on PostgreSQL: a new SQLite connection costs 2-5 ms
    # (the first statement parses the whole schema, then the pragmas), more than an API
    # page itself (benchmarks/api_throughput.py). Safe: gunicorn's sync workers and the
    # report worker use one connection per thread, Django closes a broken one at the end
    # of its request, and autocommit leaves no read transaction open between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = 600

# A read replica (a streaming standby of the PostgreSQL server) for public traffic: the
# portal's, open data's and the catalogue's pages and the API's GET requests read from it;
# logins, tokens, editing, imports, reports and every write use the primary
# (core/replica_router.py, docs/scaling.md). Unset: one database, no router.
_replica_url = os.environ.get("SMARTPLAN_DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    # Tests create no database there: a physical standby has the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["smartplan.core.replica_router.ReplicaRouter"]

INSTALLED_APPS = [
    # Django's admin with smartplan's site: two-factor login for enrolled accounts.
    "smartplan.core.admin_config.SmartplanAdminConfig",
    "nested_admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "smartplan.core",
    "smartplan.plans",
    "smartplan.organisations",
    "smartplan.projects",
    "smartplan.indicators",
    "smartplan.stack",
    "smartplan.resources",
    "smartplan.partnerships",
    "smartplan.governance",
    "smartplan.observations",
    "smartplan.monitoring",
    "smartplan.exchange",
    "smartplan.api",
    "smartplan.reports",
    # Roles per plan and object permissions (django-rules), data providers' API tokens.
    "smartplan.access",
    # The public portal, open data and the local open data catalogue (issue 11).
    "smartplan.opendata",
    "smartplan.lkod",
    "smartplan.portal",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API documentation page's Redoc, served locally (no CDN)
    "django_filters",  # API list filters
    "smartplan.demo",
    # Security (issue 10, part 5): login lockout, two-factor login, Content Security Policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # History of every register change (core.history_records, core.change_sets).
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses an oversized upload by its Content-Length before anything reads the body.
    "smartplan.core.upload_limits.UploadLimitMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The portal's language from its address, elsewhere from the browser.
    "smartplan.core.path_locale.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session give a two-factor code (django-otp)?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every writing request is one change set of the history (after authentication: it
    # records request.user).
    "smartplan.core.change_sets.ChangeSetMiddleware",
    # Counts failed logins and answers a locked-out login with the lockout page; keep last.
    "axes.middleware.AxesMiddleware",
]
if _replica_url:
    # Marks the public requests whose reads may come from the replica (before axes: last).
    MIDDLEWARE.insert(-1, "smartplan.core.replica_router.PublicReadsMiddleware")

# Sessions in the database (a logout or a password change ends them on every worker), read
# with one plain statement instead of a compiled query (core/session_store.py).
SESSION_ENGINE = "smartplan.core.session_store"

ROOT_URLCONF = "smartplan.urls"
WSGI_APPLICATION = "smartplan.wsgi.application"

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
            ],
        },
    },
]

# Password policy: at least 12 characters, not a common password, not only digits, not
# like the user's name or e-mail. Applies wherever a password is set through a form
# (the editing interface, changepassword); the demo sets its demo passwords directly.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Czech first; English for the public portal and foreign readers.
LANGUAGE_CODE = "cs"
LANGUAGES = [("cs", _("Czech")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
# Django's own cs formats print 05.02.2020; ours print 5. 2. 2020 (see core/formats).
FORMAT_MODULE_PATH = ["smartplan.core.formats"]
TIME_ZONE = "Europe/Prague"
USE_TZ = True

STATIC_URL = "/static/"
# Created by the commands that write there (migrate, serve, demo), not here.
STATIC_ROOT = DATA_DIR / "static"
# The public portal's look (Gov Design System from npm), built by scripts/assets into
# frontend/dist/ (not in git); SMARTPLAN_ASSETS_DIR points elsewhere when installed apart.
ASSETS_DIR = Path(
    os.environ.get("SMARTPLAN_ASSETS_DIR", BASE_DIR.parent.parent / "frontend" / "dist")
).resolve()
STATICFILES_DIRS = [ASSETS_DIR]

# Who runs this instance, for the portal's accessibility statement (Act 99/2019 Sb.): the
# operator's name (default: the owners of the published plans), the e-mail and phone where
# the public reports accessibility problems, and the dates the statement was prepared and
# last reviewed (ISO dates).
OPERATOR_NAME = os.environ.get("SMARTPLAN_OPERATOR_NAME", "").strip()
OPERATOR_EMAIL = os.environ.get("SMARTPLAN_OPERATOR_EMAIL", "").strip()
OPERATOR_PHONE = os.environ.get("SMARTPLAN_OPERATOR_PHONE", "").strip()
ACCESSIBILITY_STATEMENT_DATE = dt.date.fromisoformat(
    os.environ.get("SMARTPLAN_ACCESSIBILITY_DATE", "2026-12-02")
)
ACCESSIBILITY_REVIEW_DATE = dt.date.fromisoformat(
    os.environ.get("SMARTPLAN_ACCESSIBILITY_REVIEWED") or str(ACCESSIBILITY_STATEMENT_DATE)
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps while debugging or testing, so no collectstatic is needed then.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = DATA_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "monitoring:plans"
LOGOUT_REDIRECT_URL = "login"

# E-mail: console in the demo; SMTP when SMARTPLAN_EMAIL_URL-like settings arrive (issue 3).
EMAIL_BACKEND = os.environ.get(
    "SMARTPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# REST API (/api/v1/, docs/api.md): token or session login; keyset pages; every error a
# problem (RFC 9457) from one handler; OpenAPI schema at /api/v1/schema/, page /api/v1/docs/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Data providers' tokens (access app): the token's plan and sub-indicators only.
        "smartplan.access.token_auth.ProviderTokenAuthentication",
        # Users' own API keys (rest_framework.authtoken), with their roles in the same query.
        "smartplan.access.user_key_auth.UserKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "smartplan.api.problems.problem_exception_handler",
    # JSON only: the documentation page is /api/v1/docs/, not the browsable API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "smartplan API",
    "DESCRIPTION": "Registers and monitoring of smart-region action plans. "
    "Pages with cursors, ETag / If-Match on every change, errors as RFC 9457 problem "
    "details (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "smartplan.core.dates.DatePrecision"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "smartplan.api.schema_hooks.problem_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SMARTPLAN_LOG_LEVEL", "WARNING")},
}


# --- Production security (issue 10, part 5) ---------------------------------------------
# Derived from two facts read above: the scheme of SMARTPLAN_BASE_URL and SMARTPLAN_DEBUG.
# An https instance gets Secure cookies; an https instance outside debugging also gets
# HSTS and the redirect of plain http to https. `smartplan check --deploy` is clean then.
_HTTPS = BASE_URL.startswith("https://")
_HTTPS_PRODUCTION = _HTTPS and not DEBUG

# Cookies: sent only over https on an https instance, never readable by scripts (the
# editing interface and the API docs send the CSRF token from the page, not the cookie).
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True

# HSTS: browsers that saw the instance over https refuse plain http to it (and to its
# subdomains) for this many seconds. One year by default on an https instance; 0 turns it
# off. `preload` only takes effect if someone submits the domain to the browsers' list.
SECURE_HSTS_SECONDS = (
    int(os.environ.get("SMARTPLAN_HSTS_SECONDS", "31536000")) if _HTTPS_PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Plain http is redirected to https. Behind a reverse proxy that ends TLS, Django must be
# told which header says the original request was https, or it would redirect forever:
# SMARTPLAN_PROXY_SSL_HEADER names it (e.g. X-Forwarded-Proto, whose value must be https).
# Only set it when the proxy always sets or strips that header. (`smartplan serve` runs
# gunicorn, which already trusts X-Forwarded-Proto from a proxy on 127.0.0.1.)
SECURE_SSL_REDIRECT = _HTTPS_PRODUCTION
_proxy_ssl_header = os.environ.get("SMARTPLAN_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")

# No framing by other sites, no full URL in the Referer to other sites, a window of its own.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content Security Policy (django-csp 4): everything from this instance only; no inline
# scripts or styles. Images may be data: URIs (the two-factor QR code); the API docs page's
# Redoc runs a worker from a blob: URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login lockout (django-axes), counted two ways: after SMARTPLAN_LOGIN_FAILURES failed
# logins to one account, that account cannot log in from anywhere; after as many from one
# address, that address cannot log in to any account; both for
# SMARTPLAN_LOGIN_COOLOFF_MINUTES, with a Czech page and HTTP 429. An administrator unlocks
# at once with `smartplan axes_reset_username NAME` / `smartplan axes_reset_ip ADDRESS`
# (or `smartplan axes_reset` for all), or by deleting the access attempt in the editing
# interface. Behind a reverse proxy (SMARTPLAN_PROXY_SSL_HEADER set) the client's address
# is the one the proxy appended to X-Forwarded-For; without it every client would share
# the proxy's address.
AXES_FAILURE_LIMIT = int(os.environ.get("SMARTPLAN_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(os.environ.get("SMARTPLAN_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
BEHIND_PROXY = bool(_proxy_ssl_header)
AXES_CLIENT_IP_CALLABLE = "smartplan.core.login_lockout.client_address"
AXES_RESET_ON_SUCCESS = True
# The Czech lockout page with HTTP 429 (core/login_lockout.py).
AXES_LOCKOUT_CALLABLE = "smartplan.core.login_lockout.lockout_response"

# axes first: it refuses a locked-out login before any password is checked. Django's own
# backend logs people in (and makes superusers administrators); django-rules' backend
# answers has_perm(perm, obj) from the roles granted per plan (smartplan.access.rules).
# Django grants a permission when any backend does, so the order changes no answer, only
# the work: the roles (read once per request) answer first, and Django's own per-user and
# per-group permissions (two queries) are read only for a question no role grants
# (benchmarks/dashboard_throughput.py: two of the dashboard's seven queries).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",  # roles and object permissions (access app)
    # Django's ModelBackend, reading the logged-in user with one kept statement
    # (core/user_backend.py; sessions that named ModelBackend: core migration 0003).
    "smartplan.core.user_backend.UserBackend",
]

# The public portal keeps each page it rendered under its ETag in the cache (per process) and
# serves it until the plan changes (portal/http_cache.py); 0 renders every request, as the
# portal benchmark does to measure the rendering itself.
PORTAL_PAGE_STORE = os.environ.get("SMARTPLAN_PORTAL_PAGE_STORE", "1").lower() not in {
    "0",
    "false",
    "no",
    "off",
}

# Two-factor login (django-otp): the issuer shown in the authenticator app.
OTP_TOTP_ISSUER = "smartplan"

# Uploads: a request body larger than this is refused (HTTP 413) before it is read
# (core/upload_limits.py). Small form posts stay in memory; files spill to disk early.
UPLOAD_MAX_BYTES = int(float(os.environ.get("SMARTPLAN_UPLOAD_MAX_MB", "50")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Imports: most rows a sheet (or a CSV, a Word table) may have. The default is the most an XLSX
# sheet can hold (1 048 576 rows, one of them the header), so a workbook smartplan wrote is never
# refused for its length (a plan 100 times the demo has 982 452 measurements); lower it to
# bound what one import may read (exchange/workbook_reader.py).
IMPORT_MAX_ROWS = int(os.environ.get("SMARTPLAN_IMPORT_MAX_ROWS", "1048575"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Feedback on open datasets (the portal's "Nahlásit problém" form, opendata/feedback.py): at
# most SMARTPLAN_FEEDBACK_LIMIT reports per client address (the login lockout's notion of it)
# per SMARTPLAN_FEEDBACK_WINDOW_MINUTES, counted in Django's default cache (per process unless
# CACHES names a shared one).
OPENDATA_FEEDBACK_LIMIT = int(os.environ.get("SMARTPLAN_FEEDBACK_LIMIT", "5"))
OPENDATA_FEEDBACK_WINDOW = int(os.environ.get("SMARTPLAN_FEEDBACK_WINDOW_MINUTES", "60")) * 60
