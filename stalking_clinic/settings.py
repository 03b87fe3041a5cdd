"""Settings for Stalking Clinic, read from the environment.

DJANGO_ENV picks the mode: ``development`` (the default: DEBUG on, local services), ``test`` (set by
pytest) or ``production`` (no insecure defaults; a missing or bad value stops start-up naming it).
Every variable is listed, with its default, in the README's configuration table.
"""

import datetime
import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

# A NAME_FILE variable (a path to a file holding the value) stands for NAME, as Docker and
# Kubernetes mount secrets as files: FileAwareEnv reads it wherever a setting is read.
env = environ.FileAwareEnv()
# A local .env file is a convenience for developers; real deployments set the environment.
# ENV_FILE names another file, or none at all when empty (the settings tests use that, so a
# developer's .env cannot supply a value a test has taken away).
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file, overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"


def _required_in_production(name, *, dev_default, cast=str):
    """Read a setting that production must set explicitly; development gets a local default.

    ``NAME_FILE`` may give the value instead (see ``env`` above).
    """
    try:
        raw = env.str(name, default="").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}_FILE points at {env.ENVIRON.env.get(name + '_FILE')}, which cannot be read."
        ) from exc
    if raw:
        return cast(raw)
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return dev_default


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _bool(name, default):
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")
    return raw in _TRUE


def _int(name, default):
    raw = env.str(name, default="").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


SECRET_KEY = _required_in_production(
    "SECRET_KEY",
    dev_default="development-only-key-never-used-in-production-0123456789abcdefghij",
)
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")

DEBUG = _bool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when DJANGO_ENV=production.")

ALLOWED_HOSTS = _required_in_production(
    "ALLOWED_HOSTS",
    dev_default=["localhost", "127.0.0.1", "[::1]", "testserver"],
    cast=lambda value: [host.strip() for host in value.split(",") if host.strip()],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Triage: a referral waiting longer than this many working days is flagged in the queue.
TRIAGE_TARGET_WORKING_DAYS = _int("TRIAGE_TARGET_WORKING_DAYS", 2)
# Days other than weekends and the bank holidays of England and Wales (the ``holidays`` package,
# which knows every year) that are not working days when counting how long a referral has
# waited: a one-off bank holiday declared after the package's release, say.
EXTRA_BANK_HOLIDAYS = [
    datetime.date.fromisoformat(day) for day in env.list("EXTRA_BANK_HOLIDAYS", default=[])
]

# Police log exports. Uploads are kept here until imported; beat imports files dropped into
# the inbox (each once) and moves them aside.
POLICE_LOG_UPLOAD_DIR = Path(
    env.str("POLICE_LOG_UPLOAD_DIR", default=str(BASE_DIR / "var" / "police-log-uploads"))
)
POLICE_LOG_INBOX = Path(
    env.str("POLICE_LOG_INBOX", default=str(BASE_DIR / "var" / "police-log-inbox"))
)
# Exports are read as a stream (no row longer than the parser's caps), so size costs disk and
# time, not memory: a month's export of a county force is a few megabytes.
POLICE_LOG_MAX_UPLOAD_MB = _int("POLICE_LOG_MAX_UPLOAD_MB", 100)
# The stalking scan's pattern rule: this many entries for one suspect against one victim within
# this many days, with no entry tagged as stalking.
SCAN_PATTERN_MIN_ENTRIES = _int("SCAN_PATTERN_MIN_ENTRIES", 3)
SCAN_PATTERN_WINDOW_DAYS = _int("SCAN_PATTERN_WINDOW_DAYS", 90)
# Protection orders: the solicitor is reminded this many days before a fixed-term full order ends,
# to consider applying to renew it (Stalking Protection Act 2019, s.7).
SPO_ORDER_EXPIRY_WARNING_DAYS = _int("SPO_ORDER_EXPIRY_WARNING_DAYS", 90)
# A secret calendar address stops working this many days after it was made (a new one replaces it).
CALENDAR_FEED_DAYS = _int("CALENDAR_FEED_DAYS", 180)
# One account opening this many distinct records within this many minutes alerts the tactical
# lead (once per account per window): stalking_clinic/audit/unusual.py.
UNUSUAL_ACCESS_RECORDS = _int("UNUSUAL_ACCESS_RECORDS", 50)
UNUSUAL_ACCESS_MINUTES = _int("UNUSUAL_ACCESS_MINUTES", 10)
# --- Retention and review (Management of Police Information) ---------------------------------
# A closed case's record is reviewed (kept or disposed of) this many years after closing, by its
# MoPI group (referrals/retention.py says which case is in which), unless whoever closes it sets
# another date. Beat lists the records due each morning.
RETENTION_REVIEW_YEARS = {
    "group_1": _int("RETENTION_GROUP_1_REVIEW_YEARS", 10),
    "group_2": _int("RETENTION_GROUP_2_REVIEW_YEARS", 10),
    "group_3": _int("RETENTION_GROUP_3_REVIEW_YEARS", 6),
}
# --- end of retention -------------------------------------------------------------------------
# Meetings: an open high-risk case not discussed at a meeting for this many weeks is suggested
# for the next agenda.
MEETINGS_REVIEW_WEEKS = _int("MEETINGS_REVIEW_WEEKS", 6)
# Training: a course whose refresh falls due within this many days shows as "due a refresh";
# a booking is reminded once, when its session starts within TRAINING_REMINDER_HOURS.
TRAINING_REFRESH_WARNING_DAYS = _int("TRAINING_REFRESH_WARNING_DAYS", 60)
TRAINING_REMINDER_HOURS = _int("TRAINING_REMINDER_HOURS", 48)

FORCE_NAME = env.str("FORCE_NAME", default="Demonshire Constabulary")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "stalking_clinic.accounts.admin_site.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    # Sign-in security (before accounts, whose admin module unregisters the devices' admins).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "stalking_clinic.accounts",
    "stalking_clinic.access",
    "stalking_clinic.audit",
    "stalking_clinic.home",
    "stalking_clinic.reminders",
    "stalking_clinic.demo",
    "referrals",
    "meetings",
    "spo",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session idle too long, or older than its absolute limit, ends first.
    "stalking_clinic.accounts.sessions.SessionTimeoutMiddleware",
    # Which second-factor device (if any) this session was verified with; then every page but the
    # sign-in steps needs one (stalking_clinic.accounts.middleware).
    "django_otp.middleware.OTPMiddleware",
    "stalking_clinic.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stalking_clinic.audit.middleware.AuditMiddleware",
    "stalking_clinic.home.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stalking_clinic.urls"
WSGI_APPLICATION = "stalking_clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stalking_clinic.home.context_processors.navigation",
            ],
        },
    },
]

# Two database roles (README, "Database roles"): the application connects as DATABASE_URL's role,
# which may read and write the tables but only SELECT and INSERT the audit log, and change no
# schema; migrations (`manage.py migrate` switches to it) and the police log importer's index
# rebuilds connect as DATABASE_OWNER_URL's role, which owns the database. Without
# DATABASE_OWNER_URL the "owner" alias is DATABASE_URL itself (a web server needs no more).
_LOCAL_DATABASE = "127.0.0.1:5432/stalking_clinic"


def _database(name, default):
    try:
        database = env.db_url(name, default=default)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # django-environ raises plain errors for malformed URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc
    if not database["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(f"{name} must point at PostgreSQL (postgres://…).")
    return database


if PRODUCTION and not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_ENV=production.")
DATABASES = {
    "default": _database("DATABASE_URL", f"postgres://stalking_clinic_app@{_LOCAL_DATABASE}"),
}
DATABASES["owner"] = _database(
    "DATABASE_OWNER_URL",
    env.str("DATABASE_URL", default="") or f"postgres://stalking_clinic_owner@{_LOCAL_DATABASE}",
)
for _key in ("NAME", "HOST", "PORT"):
    if (DATABASES["owner"][_key] or "") != (DATABASES["default"][_key] or ""):
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL must name the same database (host, port and name) as "
            f"DATABASE_URL, only another role: its {_key.lower()} differs."
        )
# Persistent connections halve the time of a list page (measured: ~11 ms against ~25 ms).
DATABASES["default"]["CONN_MAX_AGE"] = _int("CONN_MAX_AGE", 0 if TESTING else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["owner"]["CONN_MAX_AGE"] = 0  # used now and then, for a moment
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
if PRODUCTION and not env.str("REDIS_URL", default=""):
    raise ImproperlyConfigured("REDIS_URL must be set when DJANGO_ENV=production.")


def _redis_url_for_test_worker(url, worker):
    """The Redis database of one pytest-xdist worker (``gw0``, ``gw1``, …): REDIS_URL's database
    number plus the worker's, as each worker also has a test database of its own."""
    parts = urlsplit(url)
    number = int(worker.removeprefix("gw"))
    query = parse_qs(parts.query)
    if "db" in query:  # unix:///path/redis.sock?db=4
        query["db"] = [str(int(query["db"][0]) + number)]
        return f"{url.partition('?')[0]}?{urlencode(query, doseq=True)}"
    return urlunsplit(parts._replace(path=f"/{int(parts.path.strip('/') or 0) + number}"))


if TESTING and env.str("PYTEST_XDIST_WORKER", default=""):
    REDIS_URL = _redis_url_for_test_worker(REDIS_URL, env.str("PYTEST_XDIST_WORKER"))

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in security ---------------------------------------------------------------------------------
# Lockout (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for one account, or
# SIGN_IN_ADDRESS_FAILURE_LIMIT from one client address (an office shares one), signing in is
# refused for SIGN_IN_COOLOFF_MINUTES after the latest failure, even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SIGN_IN_FAILURE_LIMIT = _int("SIGN_IN_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = _int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 30)
SIGN_IN_COOLOFF_MINUTES = _int("SIGN_IN_COOLOFF_MINUTES", 15)
if min(SIGN_IN_FAILURE_LIMIT, SIGN_IN_ADDRESS_FAILURE_LIMIT, SIGN_IN_COOLOFF_MINUTES) < 1:
    raise ImproperlyConfigured(
        "SIGN_IN_FAILURE_LIMIT, SIGN_IN_ADDRESS_FAILURE_LIMIT and SIGN_IN_COOLOFF_MINUTES "
        "must be at least 1."
    )
AXES_HANDLER = "stalking_clinic.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
# Read from the SIGN_IN_* settings on each sign-in (the handler applies the address's own limit).
AXES_FAILURE_LIMIT = "stalking_clinic.accounts.lockout.account_failure_limit"
AXES_COOLOFF_TIME = "stalking_clinic.accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "stalking_clinic.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "stalking_clinic.accounts.lockout.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
# Successful sign-ins are in the audit log already; axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Unlocking is `manage.py axes_reset_username NAME` (or axes_reset_ip), not an unaudited admin page.
AXES_ENABLE_ADMIN = False
# A second factor for every account (django-otp): an authenticator app (TOTP), with recovery
# codes. DEMO_SKIP_MFA lets the demo logins of `make run` skip it, in development only.
OTP_TOTP_ISSUER = "Stalking Clinic"
DEMO_SKIP_MFA = _bool("DEMO_SKIP_MFA", default=DJANGO_ENV == "development")
if DEMO_SKIP_MFA and DJANGO_ENV != "development":
    raise ImproperlyConfigured("DEMO_SKIP_MFA may be true only when DJANGO_ENV=development.")
# A password reset link works for this long.
PASSWORD_RESET_TIMEOUT = _int("PASSWORD_RESET_TIMEOUT", 60 * 60)

# A shared office machine must not keep a session about a victim open for days.
SESSION_COOKIE_AGE = _int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sessions (stalking_clinic/accounts/sessions.py): signed out after this long without activity,
# and in any case SESSION_COOKIE_AGE after signing in; warned before, with a chance to stay.
SESSION_IDLE_SECONDS = _int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_IDLE_WARNING_SECONDS = _int("SESSION_IDLE_WARNING_SECONDS", 2 * 60)
if not 60 <= SESSION_IDLE_SECONDS <= SESSION_COOKIE_AGE:
    raise ImproperlyConfigured(
        "SESSION_IDLE_MINUTES must be at least 1 and no longer than SESSION_COOKIE_AGE."
    )
if not 10 <= SESSION_IDLE_WARNING_SECONDS < SESSION_IDLE_SECONDS:
    raise ImproperlyConfigured(
        "SESSION_IDLE_WARNING_SECONDS must be at least 10 and shorter than SESSION_IDLE_MINUTES."
    )
if PRODUCTION:
    # The __Host- prefix makes the browser refuse these cookies unless they are Secure, for the
    # whole site (Path=/) and set by this host alone (no Domain): no subdomain or plain-HTTP page
    # can plant a session or CSRF cookie (OWASP ASVS 5.0, 3.3.1).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"


def _proxy_networks(name):
    """TRUSTED_PROXIES: addresses or networks (CIDR) of the proxies in front of the web server."""
    networks = []
    for item in env.list(name, default=[]):
        try:
            networks.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, not {item!r}."
            ) from exc
    return networks


# The client address the audit log records (stalking_clinic/client_address.py) comes from
# X-Forwarded-For only when the request arrived from one of these; otherwise from the connection.
TRUSTED_PROXIES = _proxy_networks("TRUSTED_PROXIES")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Collected files exist only in production images (collectstatic); development serves from finders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
# static/build holds what `make install` builds (never committed): the CSS, and the GOV.UK Frontend
# and MoJ Frontend files the pages use, copied out of node_modules (npm run build:assets).
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Serving through the finders is for `make run` (DEBUG). WhiteNoise lists every file the finders
# know each time the middleware starts, which tests do for every test client; the live test
# server serves static files through Django's own StaticFilesHandler.
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email (Django 6.1 mailers). Development prints mail to the console; tests keep it in memory.
_mail_backend = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.locmem.EmailBackend"
        if TESTING
        else "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
_mail_options = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": _required_in_production("EMAIL_HOST", dev_default="localhost"),
        "port": _int("EMAIL_PORT", 25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": _required_in_production("EMAIL_HOST_PASSWORD", dev_default="")
        if env.str("EMAIL_HOST_USER", default="")
        else "",
        "use_tls": _bool("EMAIL_USE_TLS", default=False),
        "timeout": 20,
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="stalking-clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis is the broker; beat's schedule lives in CELERY_BEAT_SCHEDULE below.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Tests run tasks in-process, except the one that starts a real worker (it sets this false).
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = TESTING
CELERY_TASK_SOFT_TIME_LIMIT = _int("CELERY_TASK_SOFT_TIME_LIMIT", 15 * 60)
CELERY_TASK_TIME_LIMIT = _int("CELERY_TASK_TIME_LIMIT", 20 * 60)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "stalking_clinic.accounts.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    "import-police-log-inbox": {
        "task": "referrals.tasks.import_police_log_inbox",
        "schedule": _int("POLICE_LOG_INBOX_SECONDS", 5 * 60),
    },
    # Imports scan what they bring; the nightly full scan catches changed thresholds and rules.
    "scan-police-logs": {
        "task": "referrals.tasks.scan_police_logs_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Records whose retention review date has come (referrals/retention.py).
    "records-due-for-review": {
        "task": "referrals.tasks.records_due_for_review_task",
        "schedule": crontab(hour=6, minute=15),
    },
    # Every app's reminders (hearings and deadlines, overdue actions, sessions starting soon),
    # and the retries of failed sends: idempotent, so a missed or repeated run is harmless.
    "send-reminders": {
        "task": "stalking_clinic.reminders.tasks.send_reminders",
        "schedule": crontab(minute=5),
    },
}

# Content Security Policy: only our own files; the one inline script carries a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy (the usual deployment) the proxy tells us the scheme.
    if _bool("TRUST_X_FORWARDED_PROTO", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Secrets in addresses (the calendar feed token) never reach a log line.
    "filters": {"redact_secrets": {"()": "stalking_clinic.log_redaction.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request URLs carry only ids, but a 404 log line is still noise; keep errors.
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
