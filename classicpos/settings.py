"""Settings for ClassicPOS, read from environment variables only.

Every value a deployment may change comes from the environment (see README,
"Configuration"); nothing here needs editing to run a shop.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from classicpos import config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Return an environment flag; '1', 'true', 'yes' and 'on' mean true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "classicpos",
    "stores",
    "customers",
    "sales",
    "loyalty",
    "accounting",
    "giftcards",
    "messaging",
    "selfservice",
    "crm",
]

MIDDLEWARE = [
    "classicpos.request_id.RequestIdMiddleware",
    # Before anything connects: a missing SQLite file must not be created empty.
    "classicpos.database_guard.DatabaseGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "classicpos.htmx_cache.HtmxCacheMiddleware",
    "classicpos.htmx_login.HtmxLoginMiddleware",
    "classicpos.admin_site.AdminAccessMiddleware",
    # A login on a new device leaves its key as a cookie (classicpos.devices).
    "classicpos.devices.KnownDeviceMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

# --- Logins: locked per user name and client address together (django-axes) -------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a user's permissions in one query instead of two.
    "classicpos.auth_backend.ModelBackend",
]
AXES_FAILURE_LIMIT = config.whole_number(
    "CLASSICPOS_LOGIN_FAILURE_LIMIT",
    os.environ.get("CLASSICPOS_LOGIN_FAILURE_LIMIT", "5"),
    minimum=1,
    unit="attempts",
)
AXES_COOLOFF_TIME = timedelta(
    minutes=config.whole_number(
        "CLASSICPOS_LOGIN_COOLOFF_MINUTES",
        os.environ.get("CLASSICPOS_LOGIN_COOLOFF_MINUTES", "15"),
        unit="minutes",
    )
)
# The pair: wrong passwords lock that user at that address, never everyone behind the
# address (a shop's tills share one) nor the user everywhere (anyone could lock a Manager out).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A device the user logged in on before is exempt; its own failures count against it.
AXES_WHITELIST_CALLABLE = "classicpos.devices.is_known_device"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "classicpos.client_ip.client_ip"
# Behind reverse proxies set CLASSICPOS_PROXY_COUNT to how many there are (usually 1): the
# client's address is then read from X-Forwarded-For. Directly exposed, leave it at 0: the
# socket's address is the only one to trust.
CLASSICPOS_PROXY_COUNT = config.whole_number(
    "CLASSICPOS_PROXY_COUNT", os.environ.get("CLASSICPOS_PROXY_COUNT", "0"), unit="proxies"
)

ROOT_URLCONF = "classicpos.urls"
WSGI_APPLICATION = "classicpos.wsgi.application"

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
                "classicpos.context_processors.shop",
                "classicpos.navigation.navigation",
            ],
        },
    },
]

# SQLite by default: a file under var/, WAL journal so readers never block the
# writer, a busy timeout so a second till waits instead of failing, and
# IMMEDIATE transactions so a write transaction takes the write lock up front
# (a deferred one that upgrades later fails with "database is locked"), and a
# page cache per connection of CLASSICPOS_SQLITE_CACHE_MB: SQLite's default of
# 2 MB holds almost none of a large shop's indexes, so every search re-read
# their pages from the operating system (a common search at a million customers
# spent half its database time there).
SQLITE_PATH = BASE_DIR / "var" / "classicpos.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
        }
    }


def _whole_number(name: str, default: str, *, minimum: int = 0, unit: str = "seconds") -> int:
    """Read a whole number from the environment; stop start-up with a message naming it."""
    return config.whole_number(name, os.environ.get(name, default), minimum=minimum, unit=unit)


def _decimal(name: str, default: str, *, example: str) -> Decimal:
    """Read a decimal number from the environment; stop start-up with a message naming it."""
    return config.decimal_number(name, os.environ.get(name, default), example=example)


def _amount(name: str, default: str, *, example: str) -> Decimal:
    """Read an amount from the environment; stop start-up with a message naming it."""
    return config.amount(name, os.environ.get(name, default), example=example)


# How long a request may run: set the server's worker timeout to the same
# (gunicorn's --timeout, 30 by default). No request outlives it, so an
# Idempotency-Key reserved longer ago belongs to a killed worker and is taken over.
CLASSICPOS_REQUEST_TIMEOUT_SECONDS = _whole_number(
    "CLASSICPOS_REQUEST_TIMEOUT_SECONDS", "30", minimum=1
)
# How deep a user without the export permission (a Cashier) may page through the
# customer list: a search names someone; reading the base in bulk is a Manager's.
CLASSICPOS_CASHIER_LIST_ROWS = _whole_number(
    "CLASSICPOS_CASHIER_LIST_ROWS", "50", minimum=1, unit="rows"
)
# A PostgreSQL that never answers must not hold a worker for its whole timeout:
# connecting gives up after CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS, and the server
# cancels a statement after CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS (0: never),
# so the request answers 503 before the worker is killed. manage.py sets the
# statement timeout to 0: an import or an index at a million rows may run longer.
CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS = _whole_number("CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS", "5")
CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS = _whole_number(
    "CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS", "20"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS:
        options.setdefault("connect_timeout", CLASSICPOS_DB_CONNECT_TIMEOUT_SECONDS)
    statement_timeout = f"-c statement_timeout={CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS * 1000}"
    options["options"] = f"{options.get('options', '')} {statement_timeout}".strip()

try:
    SQLITE_CACHE_MB = int(os.environ.get("CLASSICPOS_SQLITE_CACHE_MB", "32"))
except ValueError:
    SQLITE_CACHE_MB = 0
if SQLITE_CACHE_MB < 1:
    raise ImproperlyConfigured("CLASSICPOS_SQLITE_CACHE_MB must be a whole number of at least 1.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file needs no reconnecting: each worker keeps its connection, and with it the
    # page cache it has warmed. A connection per request (Django's default) starts each
    # with an empty cache: a rare search at a million customers took 7-10 ms, not 4-5.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            # A negative cache_size is a size in KiB, not a number of pages.
            f"PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024};"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # Served over HTTPS (the default in production): redirect HTTP, and tell browsers to
    # never try HTTP again (HSTS, a year by default; SECURE_HSTS_SECONDS=0 turns it off).
    # A shop serving its LAN over plain HTTP sets SECURE_COOKIES=false, which turns both off.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
    SECURE_HSTS_SECONDS = int(
        os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0")
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Submitting the domain to browsers' HSTS preload list is the domain owner's call, made
    # once for every site on it: off unless asked for, and not a warning when off.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Behind a TLS-terminating proxy, it says whether the browser used HTTPS.
    if CLASSICPOS_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- ClassicPOS ---------------------------------------------------------------
CLASSICPOS_DEFAULT_REGION = os.environ.get("CLASSICPOS_DEFAULT_REGION", "US").upper()
CLASSICPOS_CURRENCY = os.environ.get("CLASSICPOS_CURRENCY", "USD").upper()
# How pages and receipts write amounts (separators, symbol place), e.g. en_US, de_DE, fr_CA.
CLASSICPOS_LOCALE = os.environ.get("CLASSICPOS_LOCALE", "en_US")
CLASSICPOS_SHOP_NAME = os.environ.get("CLASSICPOS_SHOP_NAME", "ClassicPOS")
# Printed on receipts, invoices and statements when set.
CLASSICPOS_SHOP_ADDRESS = os.environ.get("CLASSICPOS_SHOP_ADDRESS", "")
CLASSICPOS_SHOP_PHONE = os.environ.get("CLASSICPOS_SHOP_PHONE", "")
CLASSICPOS_SHOP_TAX_ID = os.environ.get("CLASSICPOS_SHOP_TAX_ID", "")
CLASSICPOS_TAX_RATE = _decimal("CLASSICPOS_TAX_RATE", "0", example="0.0725")
# Accounting: the credit limit a customer's account starts with (0: no sales on account until a
# Manager sets one) and the days after its issue date an invoice is due.
CLASSICPOS_DEFAULT_CREDIT_LIMIT = _amount("CLASSICPOS_DEFAULT_CREDIT_LIMIT", "0", example="500.00")
CLASSICPOS_PAYMENT_TERMS_DAYS = _whole_number("CLASSICPOS_PAYMENT_TERMS_DAYS", "30", unit="days")
# Loyalty defaults, used when the program row is first created (a Manager edits it in admin).
CLASSICPOS_LOYALTY_EARN_RATE = _decimal("CLASSICPOS_LOYALTY_EARN_RATE", "1", example="1")
CLASSICPOS_LOYALTY_REDEEM_STEP = _whole_number(
    "CLASSICPOS_LOYALTY_REDEEM_STEP", "100", minimum=1, unit="points"
)
CLASSICPOS_LOYALTY_REDEEM_VALUE = _amount("CLASSICPOS_LOYALTY_REDEEM_VALUE", "1.00", example="1.00")
CLASSICPOS_LOYALTY_MINIMUM_SALE = _amount("CLASSICPOS_LOYALTY_MINIMUM_SALE", "0", example="10.00")
# Days a customer keeps a tier after their spend over the window fell below it.
CLASSICPOS_LOYALTY_TIER_GRACE_DAYS = _whole_number(
    "CLASSICPOS_LOYALTY_TIER_GRACE_DAYS", "30", minimum=0, unit="days"
)
# How long a stored Idempotency-Key answer is replayed before it may be purged.
CLASSICPOS_IDEMPOTENCY_TTL_HOURS = _whole_number(
    "CLASSICPOS_IDEMPOTENCY_TTL_HOURS", "24", minimum=1, unit="hours"
)

# --- Email (the outbox; ``manage.py deliver_messages`` sends it) -----------------
# With EMAIL_HOST set, messages go to that SMTP server; without it, each one is written as
# a file under var/mail/ (Django's file backend), so a demo needs no mail server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = _whole_number(
    "EMAIL_PORT", "587" if env_bool("EMAIL_USE_TLS") else "25", minimum=1, unit="port"
)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = _whole_number("EMAIL_TIMEOUT", "30", minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ClassicPOS <receipts@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail"))
# After this many attempts a message that could not be sent is failed for good.
CLASSICPOS_MESSAGE_MAX_ATTEMPTS = _whole_number(
    "CLASSICPOS_MESSAGE_MAX_ATTEMPTS", "8", minimum=1, unit="attempts"
)
# Whether email receipts name the customer (off: a receipt forwarded or left on
# the counter says nothing about who bought).
CLASSICPOS_RECEIPT_NAMES_CUSTOMER = env_bool("CLASSICPOS_RECEIPT_NAMES_CUSTOMER", False)
# A self-service link (the customer's own page, no password) works this many days.
CLASSICPOS_SELF_SERVICE_LINK_DAYS = _whole_number(
    "CLASSICPOS_SELF_SERVICE_LINK_DAYS", "7", minimum=1, unit="days"
)
# The shop's address as customers reach it ("https://shop.example.com"), for links in
# emails; empty: the address of the request that sent the link.
CLASSICPOS_SITE_URL = os.environ.get("CLASSICPOS_SITE_URL", "").rstrip("/")

# --- Background jobs (big imports and exports; ``manage.py run_jobs``) -----------
# A file of more rows is imported (or checked) by the job runner, not in the request,
# and a list of more customers is exported by it: the worker timeout never cuts them.
CLASSICPOS_IMPORT_BACKGROUND_ROWS = _whole_number(
    "CLASSICPOS_IMPORT_BACKGROUND_ROWS", "1000", minimum=0, unit="rows"
)
CLASSICPOS_EXPORT_BACKGROUND_ROWS = _whole_number(
    "CLASSICPOS_EXPORT_BACKGROUND_ROWS", "10000", minimum=0, unit="rows"
)
# The share of the time (in percent) a job may work: after each batch it rests so long
# that a till's sale rarely waits for it. On SQLite a batch holds the one write lock, so
# 5 %; PostgreSQL locks rows, not the database, and 50 % leaves the tills a core.
CLASSICPOS_JOB_WRITE_SHARE_PERCENT = _whole_number(
    "CLASSICPOS_JOB_WRITE_SHARE_PERCENT",
    "50" if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" else "5",
    minimum=1,
    unit="percent",
)
# Where finished jobs keep their files (an export, an error report) until they expire.
# Every web worker must see it: on several hosts, a shared directory.
CLASSICPOS_JOB_FILES_DIR = Path(
    os.environ.get("CLASSICPOS_JOB_FILES_DIR", BASE_DIR / "var" / "jobs")
)
CLASSICPOS_JOB_KEPT_HOURS = _whole_number(
    "CLASSICPOS_JOB_KEPT_HOURS", "24", minimum=1, unit="hours"
)

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into 401.
        "classicpos.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["classicpos.api.permissions.StaffModelPermissions"],
    "DEFAULT_PARSER_CLASSES": ["classicpos.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "classicpos.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "classicpos.api.exceptions.problem_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": CLASSICPOS_PROXY_COUNT or None,
    "DEFAULT_THROTTLE_RATES": {
        # POST /api/auth/token, per client address, on top of django-axes' lockout.
        "login": os.environ.get("CLASSICPOS_TOKEN_LOGIN_RATE", "20/min"),
    },
}

# API tokens (django-rest-knox): stored hashed, expiring, revoked by DELETE /api/auth/token
# and by a password change; a till's token is extended while it is used.
REST_KNOX = {
    "TOKEN_TTL": timedelta(
        hours=_whole_number("CLASSICPOS_TOKEN_TTL_HOURS", "720", minimum=1, unit="hours")
    ),
    "AUTO_REFRESH": True,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ClassicPOS API",
    "DESCRIPTION": "Customers, sales, loyalty, accounting and CRM for a shop's tills.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["classicpos.api.permissions.IsStaff"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two resources call their own choices "status": each keeps a name of its own.
    "ENUM_NAME_OVERRIDES": {"GiftCardStatusEnum": "giftcards.models.GiftCardStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "classicpos.api.schema.add_problem_responses",
    ],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: console, every line with the request id ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "classicpos.request_id.RequestIdLogFilter"}},
    "formatters": {
        "console": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "console",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
        # django-axes announces itself at every start; its lockouts are warnings.
        "axes": {"level": "WARNING"},
        # python-barcode says at import that it draws no images without Pillow: SVG is all
        # the receipts use.
        "pyBarcode": {"level": "WARNING"},
    },
}
