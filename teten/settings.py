"""Teten's one settings file, driven by the environment.

TETEN_ENV        development (default) | test | production
DATABASE_URL     e.g. postgres:///teten; unset = SQLite in var/teten.sqlite3
SECRET_KEY       required in production
ALLOWED_HOSTS    comma-separated; required in production
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TETEN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


TETEN_ENV = env("TETEN_ENV", "development")
if TETEN_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"TETEN_ENV must be development, test or production, not {TETEN_ENV!r}")
PRODUCTION = TETEN_ENV == "production"

DEBUG = TETEN_ENV == "development" and env("TETEN_DEBUG", "1") == "1"

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when TETEN_ENV=production")
    ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS") or "").split(",") if h.strip()]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when TETEN_ENV=production")
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-teten-" + "x" * 40)
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "csp",
    "teten.core",
    "teten.accounts",
    "teten.audit",
    "teten.citizens",
    "teten.ledger",
    "teten.programmes",
    "teten.payments",
    "teten.documents",
    "teten.budgets",
    "teten.loans",
    "teten.portal",
    "teten.evidence",
    "teten.surveys",
    "teten.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "teten.core.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "teten.core.middleware.SessionTimeoutMiddleware",
    "teten.portal.middleware.CitizenSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "teten.urls"
FORM_RENDERER = "teten.core.forms.Renderer"
WSGI_APPLICATION = "teten.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teten.core.context_processors.teten",
                "teten.portal.context_processors.portal",
            ],
            "builtins": [
                "teten.core.templatetags.teten",
                "teten.accounts.templatetags.teten_accounts",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("TETEN_SQLITE_PATH", str(VAR_DIR / "teten.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
                # failing half-way with "database is locked"; WAL lets readers go on meanwhile.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
            },
            "TEST": {"NAME": env("TETEN_SQLITE_TEST_PATH")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TETEN_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# django-axes: after 5 failures for one username *from one address* that pair waits 15 minutes.
# Locking on the pair (not the username alone) means an attacker elsewhere cannot lock a
# colleague out, and the cool-off means nobody is locked out for good.
AXES_FAILURE_LIMIT = env_int("TETEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("TETEN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions: idle and absolute limits are enforced by teten.core.middleware.SessionTimeoutMiddleware.
TETEN_SESSION_IDLE_MINUTES = env_int("TETEN_SESSION_IDLE_MINUTES", 30)
TETEN_SESSION_ABSOLUTE_HOURS = env_int("TETEN_SESSION_ABSOLUTE_HOURS", 10)
SESSION_COOKIE_AGE = TETEN_SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Citizen portal -------------------------------------------------------------------------
# The identity provider that proves who a citizen is. Production plugs in MitID through an OIDC
# broker or NemLog-in here (see teten/portal/identity.py); the demo uses one-time links by e-mail.
TETEN_CITIZEN_IDENTITY_PROVIDER = env("TETEN_CITIZEN_IDENTITY_PROVIDER", "teten.portal.identity.OneTimeLinkProvider")
TETEN_LOGIN_LINK_MINUTES = env_int("TETEN_LOGIN_LINK_MINUTES", 30)
TETEN_PUBLIC_URL = env("TETEN_PUBLIC_URL", "http://127.0.0.1:8000")

# --- Audit ----------------------------------------------------------------------------------
# Access-log rows older than this are deleted by `teten audit_purge` (run by the daily job).
TETEN_ACCESS_LOG_RETENTION_DAYS = env_int("TETEN_ACCESS_LOG_RETENTION_DAYS", 5 * 365)

# --- Evidence -------------------------------------------------------------------------------
# Evaluators get citizens as pseudonyms: an HMAC of the CPR under this key. Keep it secret and
# stable (a new key gives every citizen a new pseudonym); production must set it.
TETEN_PSEUDONYM_KEY = env("TETEN_PSEUDONYM_KEY") or ("" if PRODUCTION else "dev-only-pseudonym-key")
if PRODUCTION and not TETEN_PSEUDONYM_KEY:
    raise ImproperlyConfigured("TETEN_PSEUDONYM_KEY must be set when TETEN_ENV=production")
# Outcome files are imported in a background thread so the page can show progress; the tests
# import in the request (an in-memory test database is not shared with other threads).
TETEN_IMPORT_IN_BACKGROUND = env("TETEN_IMPORT_IN_BACKGROUND", "0" if TETEN_ENV == "test" else "1") == "1"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["teten.core.formats"]

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("TETEN_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
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
MEDIA_ROOT = Path(env("TETEN_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files are never served by URL: a view checks access and sends them as attachments.
MEDIA_URL = None

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Teten <noreply@teten.local>")

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
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
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env("TETEN_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: never a CPR in a log line (see teten.core.logging.CprRedactingFilter) ---------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_cpr": {"()": "teten.core.logging.CprRedactingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_cpr"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "teten": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
