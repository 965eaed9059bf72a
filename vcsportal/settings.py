"""Settings for vcsportal, in one module driven by environment variables.

Development defaults are safe and need nothing set up (a SQLite file beside manage.py).
``DJANGO_ENV=production`` switches on production behaviour and refuses to start without
``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENV == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("SECRET_KEY")
    ALLOWED_HOSTS = [host.strip() for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = [
        host.strip() for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    ]
    DEBUG = os.environ.get("DEBUG", "1") == "1"

CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "django_filters",
    "import_export",  # the admin's Import and Export buttons (targets)
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "core",
    "vcsportal",
    "districts",
    "contracts",
    "performance",
    "disputes",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every answer to a signed-in session or an API token: Cache-Control no-store. Above the compression, which
    # leaves alone only the answers a view itself marks no-store (the credential pages, the sign-in page).
    "vcsportal.no_store.NoStoreWhenSignedInMiddleware",
    # Below whitenoise (static files are compressed ahead of time), above everything that writes a body.
    "vcsportal.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "vcsportal.db_routing.PrimaryAfterWriteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells whether the session has passed its second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the password, a person who owes a second factor reaches only the pages that ask for it.
    "vcsportal.twofactor.middleware.SecondFactorMiddleware",
    # axes must come last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vcsportal.urls"
WSGI_APPLICATION = "vcsportal.wsgi.application"

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
                "vcsportal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# SQLite (the default) answers two people saving at once as PostgreSQL does: a write transaction takes the
# database's write lock when it begins (BEGIN IMMEDIATE), so the second waits for the first (up to
# SQLITE_TIMEOUT seconds) and then finds the version moved on, a 409, rather than failing "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=int(os.environ.get("SQLITE_TIMEOUT", "20"))
    )
# A PostgreSQL streaming replica of the primary (a standby made with pg_basebackup): the reads that may lag a
# moment go there (vcsportal.db_routing); everything else stays on the primary. In tests the alias mirrors the
# primary (Django's MIRROR), so the suite needs no standby; tests/replication/ runs against a real one.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))),
        "TEST": {"MIRROR": "default"},
    }
READ_REPLICA = "replica" if DATABASE_REPLICA_URL else None
# After a browser writes anything, its reads stay on the primary this long, so people see their own saves.
READ_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "15"))
DATABASE_ROUTERS = ["vcsportal.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "vcsportal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for a username from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = os.environ.get("AXES_ENABLED", "1") == "1"

# Behind a reverse proxy. TRUSTED_PROXY_COUNT says how many proxies in front of the portal each add the client's
# address to X-Forwarded-For and set X-Forwarded-Proto (0, the default: gunicorn faces the clients directly).
# Only then are those headers believed: a request's scheme comes from X-Forwarded-Proto (so HTTPS is recognised
# behind a proxy that ends TLS), and login lockouts are keyed on the client's address as the nearest proxies saw
# it (vcsportal.proxies.client_address: the entry of X-Forwarded-For that the outermost trusted proxy wrote,
# counting from the right, which a client cannot forge), not on the proxy's own address. Without a proxy both
# headers are ignored (anyone could send them): the scheme is the connection's, the address REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or the number of proxies in front")
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AXES_CLIENT_IP_CALLABLE = "vcsportal.proxies.client_address"

# Two-factor sign-in (django-otp): the issuer is the name authenticator apps show beside the code. Wrong codes
# slow the next tries down per device (1, 2, 4, 8... seconds), as django-axes does for passwords.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Email: invitations and password resets are sent at once through Django's email backend; notifications go
# through the task queue (notifications/). In development they are printed on the console; in production they go
# to the SMTP server named here. EMAIL_TIMEOUT keeps a hung mail server from holding a page or the worker.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "vcs-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
# How long an invitation's or a password reset's link works (Django's token machinery).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24 * 3)))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives in the default storage: the filesystem (MEDIA_ROOT, never served as public media: the
# portal's evidence view checks who may read it), or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set
# (django-storages; credentials from the usual AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables).
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded CSV files: refuse anything larger than 5 MB before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
RETURN_IMPORT_MAX_BYTES = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
DJANGO_TABLES2_TEMPLATE = "includes/govuk_table.html"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# Lax (Django's default, written down because vcsportal.compression relies on it): another site cannot make a
# signed-in browser fetch pages over and over, which a BREACH attack on compressed pages would need.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # WeasyPrint (the quarterly pack's PDF) warns about every screen-only rule of the GOV.UK stylesheet.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# The portal's name and the customer's name are configuration: the product serves any county.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "VCS infrastructure contracts portal")
PORTAL_PARTNERSHIP = os.environ.get("PORTAL_PARTNERSHIP", "Leicestershire VCS infrastructure partnership")
#: The name authenticator apps show beside the portal's two-factor codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", PORTAL_NAME)

# The read-only JSON API (vcsportal/api). A personal token (``Authorization: Token <key>``; create one with
# ``python manage.py drf_create_token USERNAME``) or the browser's session; what each user may read is
# decided by the permission policies (<app>/policies.py), as for the pages. Token first, so an anonymous
# request gets 401.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "vcsportal.api.pagination.PortalPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # No OPTIONS metadata: the schema at /api/schema/ is the one description of the API.
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PORTAL_NAME} API",
    "DESCRIPTION": (
        "JSON API for funders' analysts and providers' systems: districts, funders, providers, contracts, "
        "sub-contracts, allocations, contributions, periods, indicators, returns and results, the dashboard "
        "summary, and one write: a return's results. Every request needs a token "
        "(`Authorization: Token <key>`) or a signed-in session; each user reads what the portal's pages show "
        "them. Money is a string of pounds and pence; lists are paginated and stably ordered."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vcsportal.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RagEnum": "performance.models.Rag",
        "ReturnStatusEnum": "performance.models.Return.Status",
        "PeriodStatusEnum": "performance.models.ReportingPeriod.Status",
        "SubContractStatusEnum": "contracts.models.SubContract.Status",
    },
}

# 360Giving publication (contracts/giving360.py). The prefix is the one 360Giving assigns the publisher
# (e.g. 360G-leicscc); until it is set, identifiers carry the marked placeholder 360G-UNREGISTERED.
GIVING360_PREFIX = os.environ.get("GIVING360_PREFIX", "")
GIVING360_LICENSE = os.environ.get(
    "GIVING360_LICENSE", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)

# The covering indexes on results (INCLUDE columns) serve PostgreSQL, the production database; SQLite,
# the embedded default, builds them without the extra columns, which is all right for its sizes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Links in emails are absolute: the address people reach the portal at (no trailing slash).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The task queue (django-tasks with its database backend, django-tasks-db): emails are queued when the change
# that causes them commits, and `manage.py db_worker` sends them (`make run` runs one beside the server).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A failed email is tried again after each of these delays (seconds), then left for LCC to retry by hand
# from the delivery log.
NOTIFICATION_RETRY_DELAYS = [
    int(seconds) for seconds in os.environ.get("NOTIFICATION_RETRY_DELAYS", "60,300,1800,7200,21600").split(",")
]
