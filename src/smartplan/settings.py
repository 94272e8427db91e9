"""Django settings for smartplan.

Every setting that differs between machines is read from the environment here, once,
with a default that makes the embedded demo work without any configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
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
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "smartplan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps while debugging or testing, so no collectstatic is needed then.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = DATA_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Who may do what: Django's own backend logs people in (and makes superusers
# administrators); django-rules' backend answers has_perm(perm, obj) from the roles granted
# per plan (smartplan.access.rules).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",  # roles and object permissions (access app)
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "monitoring:plans"
LOGOUT_REDIRECT_URL = "login"

# E-mail: console in the demo; SMTP when SMARTPLAN_EMAIL_URL-like settings arrive (issue 3).
EMAIL_BACKEND = os.environ.get(
    "SMARTPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# REST API (/api/v1/): token or session login; OpenAPI schema at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Data providers' tokens (access app): the token's plan and sub-indicators only.
        "smartplan.access.token_auth.ProviderTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "smartplan API",
    "DESCRIPTION": "Registers and monitoring of smart-region action plans.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SMARTPLAN_LOG_LEVEL", "WARNING")},
}
