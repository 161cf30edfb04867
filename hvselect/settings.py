"""HVSelect settings, read from the environment.

Every variable is listed, with its default, in `.env.example`. Defaults are safe for a
server (DEBUG off); `make run` turns DEBUG on for local development. A bad value fails loudly.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# A git-ignored .env (written by `make run` with development values) fills in what the
# environment does not say: a variable set in the environment always wins.
load_dotenv(BASE_DIR / ".env", override=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def strong_secret_key(key: str) -> bool:
    """Django's own rule (security.W009): 50 characters, 5 distinct, no insecure prefix."""
    return len(key) >= 50 and len(set(key)) >= 5 and not key.startswith("django-insecure-")


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "django-insecure-local-development-key-never-used-in-production"
if not DEBUG and not strong_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is missing or weak: use at least 50 random characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
        "or set DJANGO_DEBUG=1 for local development."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is empty: list the host names the site answers to, "
        "e.g. DJANGO_ALLOWED_HOSTS=hvselect.example.com."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# HTTPS in production (everything below is off in debug mode, for http://127.0.0.1).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", not DEBUG):
    # The proxy in front sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # __Host- cookies are only accepted over HTTPS, for this exact host and path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Django's database sessions, saved in fewer statements (hvselect/sessions.py).
SESSION_ENGINE = "hvselect.sessions"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): everything from this origin, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "compare.apps.HVSelectAdminConfig",  # django.contrib.admin, with our index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "formtools",
    "csp",
    "axes",
    "ninja",  # the API docs' template and Swagger UI, served from here
    "compare",
]

# Uploads (RVTools exports) are read in memory and bounded; nothing is written to disk.
FILE_UPLOAD_HANDLERS = ["compare.assessment.uploads.BoundedMemoryUploadHandler"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware, whose Host check (a 400) would otherwise skip it.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A form body in a charset Django cannot read: a 400 before anything reads it.
    "compare.errors.RefuseUnreadableBodies",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin sign-in: 5 failures for one username from one address lock it out for an hour.
AXES_FAILURE_LIMIT = env_int("HVSELECT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as the rate limits see it, behind proxies too: without this, axes
# keyed on the proxy's address and five bad passwords locked an account out for everyone.
AXES_CLIENT_IP_CALLABLE = "compare.ratelimit.client_address"
AXES_USERNAME_CALLABLE = "compare.ratelimit.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# Shared by every worker: Redis when REDIS_URL is set, else a table of the database (created
# by `manage.py createcachetable`). With Redis the rate limits count in a cache of their own,
# so that culling the pages never deletes a counter (with one table, 60 posts a minute went
# through a limit of 30); without, in a table of their own (compare.ratelimit.RateCounter).
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            # Django's, with short timeouts and a per-worker fallback when Redis is down.
            "BACKEND": "hvselect.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": alias,
        }
        for alias in ("default", "ratelimit")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hvselect_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# Each process's own copy of the rendered pages that change only with the catalogue, and of
# the share pages (frozen): no round trip for the most read pages. Bounded in entries (at
# most a few hundred kilobytes each), the least recently used out first.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "hvselect-pages",
    "OPTIONS": {"MAX_ENTRIES": 200},
}

# Requests per minute and client address; past the limit the answer is a 429 page.
RATE_LIMITS = {
    "questionnaire": env_int("HVSELECT_QUESTIONNAIRE_POSTS_PER_MINUTE", 30),
    "share_misses": env_int("HVSELECT_SHARE_MISSES_PER_MINUTE", 20),
    # Each change in the what-if panel is a request: a minute of trying things, not a crawl.
    "what_if": env_int("HVSELECT_WHAT_IF_PER_MINUTE", 120),
    "suggestions": env_int("HVSELECT_SUGGESTIONS_PER_MINUTE", 3),
}
# /benchmark/baseline/, a one-query page for `make loadtest` to measure the stack against.
BENCHMARK_VIEW = env_bool("HVSELECT_BENCHMARK_VIEW", False)

# Behind a proxy, the request header that carries the client's address (set by the proxy),
# e.g. HTTP_X_FORWARDED_FOR; unset, the connection's own address is used. With several
# proxies in a row, HVSELECT_TRUSTED_PROXIES says how many: the client is the entry they
# name, counted from the right (compare.ratelimit.client_address).
CLIENT_IP_HEADER = os.environ.get("HVSELECT_CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = max(1, env_int("HVSELECT_TRUSTED_PROXIES", 1))

ROOT_URLCONF = "hvselect.urls"

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
                "compare.context_processors.language_links",
            ],
        },
    },
]

WSGI_APPLICATION = "hvselect.wsgi.application"

# PostgreSQL only. DATABASE_URL selects the server; without it an embedded server starts in
# HVSELECT_PGDATA (a git-ignored folder of the project).
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.config(
            conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must point at a PostgreSQL server (postgres://...)."
        )
else:
    from hvselect.embedded_db import embedded_database_settings

    DATABASES = {
        "default": embedded_database_settings(
            Path(os.environ.get("HVSELECT_PGDATA", BASE_DIR / ".pgdata"))
        )
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
FORMAT_MODULE_PATH = ["hvselect.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Paris")
USE_TZ = True

# The catalogue's texts are stored in every language (summary_en, summary_fr, ...).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # The embedded server narrates every start and stop, even after pytest closed its output.
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
