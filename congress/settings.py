"""Settings of the supervision system, read from the environment (django-environ).

The embedded default needs no server: SQLite in WAL mode and Celery on the filesystem broker.
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis, which is the production shape.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

# Any setting X may come from a file named by X_FILE instead (Docker secrets:
# SECRET_KEY_FILE=/run/secrets/secret_key), so passwords need not sit in the environment.
env = environ.FileAwareEnv()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """Without SECRET_KEY in the environment, a random key is made once and kept in var/,
    so a trial install is never left with a guessable key."""
    import secrets

    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "congress.apps.CongressAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "congress.apps.AuditlogConfig",
    "congress.apps.AxesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_structlog",
    "congress.apps.CongressConfig",
    "surveys",
    "evaluations",
    "suggestions",
    "oversight",
    "media_publish",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every request gets a request id in its log lines (and in the tasks it starts) and is
    # counted for /metrics.
    "django_structlog.middlewares.RequestMiddleware",
    "congress.metrics.MetricsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congress.middleware.AuditActorMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Pages are compressed by Django on the embedded default (no proxy in front); behind nginx
# (BEHIND_PROXY, docker-compose.yml) nginx's gzip does it. Static files come precompressed
# (gzip and Brotli) from WhiteNoise either way.
if not env.bool("BEHIND_PROXY", default=False):
    MIDDLEWARE.insert(1, "congress.middleware.PageGZipMiddleware")

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"
AUTH_USER_MODEL = "congress.User"

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
                "congress.context_processors.committee",
            ],
        },
    },
]

# Database: SQLite with WAL by default, so web, worker and beat can share it.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'congress.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=10000",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A health check costs a query on every request; off by default, since a hall full of
    # phones voting at once is the load that matters (see bench/voting).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
    # Parameters bound on the server, and a statement a connection runs again and again (a
    # vote's lookup, a session's read, a page's queries) prepared: PostgreSQL plans it once per
    # connection instead of on every request. Planning was about three quarters of PostgreSQL's
    # work for a repeated vote tap (bench/voting). Behind a pooler in transaction mode (pgbouncer
    # before 1.21) prepared statements must be off: DATABASE_PREPARED_STATEMENTS=false.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": env.int("DATABASE_PREPARE_THRESHOLD", default=5)}
        )
if env.str("DATABASE_PASSWORD", default=""):
    # The password from its own variable (or DATABASE_PASSWORD_FILE), not written in the URL.
    DATABASES["default"]["PASSWORD"] = env.str("DATABASE_PASSWORD")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _with_password(url: str, password: str) -> str:
    """redis://host:6379/0 with REDIS_PASSWORD put in, unless the URL already has one."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(url)
    if not url or not password or parts.password:
        return url
    netloc = f":{quote(password, safe='')}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


# Redis: the broker (REDIS_URL: never evicts, keeps its queue on disk) and the cache
# (CACHE_URL: evicts the least recently used keys) are separate databases or instances in
# production; CACHE_URL defaults to REDIS_URL for a single small Redis. REDIS_PASSWORD (or
# REDIS_PASSWORD_FILE) is put into both.
REDIS_PASSWORD = env.str("REDIS_PASSWORD", default="")
REDIS_URL = _with_password(env.str("REDIS_URL", default=""), REDIS_PASSWORD)
CACHE_URL = _with_password(env.str("CACHE_URL", default="") or REDIS_URL, REDIS_PASSWORD)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # A file cache is shared by the web workers and Celery on one machine.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Sessions read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
# A form sent without its CSRF token is refused in Chinese, in the look of its surface.
CSRF_FAILURE_VIEW = "congress.views.errors.csrf_failure"

# django-axes: lock a username only from the address that failed, so one meeting-room Wi-Fi
# (one public address for the whole hall) does not lock every deputy out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

LANGUAGE_CODE = "zh-hans"
# The interface is Chinese for everyone: a browser or phone set to English gets it too (the English
# msgids are the source of the catalogue, not a maintained interface).
LANGUAGES = [("zh-hans", "简体中文")]
# The project's catalogue, then Chinese for the strings of Django and the installed packages that
# their own catalogues leave untranslated (locale/packages/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "packages"]
TIME_ZONE = "Asia/Shanghai"
# Dates written one way on every page and in every export (2026-03-31): congress/locale_formats.
FORMAT_MODULE_PATH = ["congress.locale_formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    # Uploaded files live under MEDIA_ROOT and are only ever sent by congress.files.download,
    # which checks the record they belong to (their url() is that view's address).
    "default": {"BACKEND": "congress.files.RecordStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP when EMAIL_URL is given (smtp+tls://user:pass@host:587; consolemail:// prints the
# messages, as ./scripts/run does); without it, the console
# in development and the server's own mail relay (localhost:25) in production.
_email = env.email_url("EMAIL_URL") if env.str("EMAIL_URL", default="") else None
if _email and _email["EMAIL_BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}  # consolemail:// (the embedded default)
elif _email:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["EMAIL_HOST"],
                "port": _email["EMAIL_PORT"],
                "username": _email["EMAIL_HOST_USER"],
                "password": _email["EMAIL_HOST_PASSWORD"],
                "use_tls": _email.get("EMAIL_USE_TLS", False),
                "use_ssl": _email.get("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25, "timeout": 20},
        }
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@renda.example.cn")

# SMS: the provider named by SMS_URL (congress/sms.py): console://, file:///DIR (the embedded
# default: var/sms/sms.jsonl) or tencent://SECRET_ID:SECRET_KEY@sms.tencentcloudapi.com?...
SMS_URL = env.str("SMS_URL", default="") or f"file://{VAR_DIR / 'sms'}"
# A template per reminder kind where the provider wants one (kind=template id,...).
SMS_TEMPLATES = env.dict("SMS_TEMPLATES", default={}) if env.str("SMS_TEMPLATES", default="") else {}
# No SMS at night (Beijing time, [start, end) hours): held until morning unless urgent.
SMS_QUIET_HOURS = tuple(env.list("SMS_QUIET_HOURS", cast=int, default=[21, 8]))
# At most this many SMS to one number in one day; the rest wait for the next morning.
SMS_DAILY_CAP = env.int("SMS_DAILY_CAP", default=10)
# The outbox: how long a delivery pass holds the rows it took (a worker killed mid-delivery
# gives them back after this), how often it tries before giving up, the first retry's wait.
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=120)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
# The sweep delivers whatever is due, including rows whose task was lost (broker down after
# the scan's commit, worker killed); it runs on the beat every this many seconds. It does not
# wait for the broker: a killed worker's rows are taken again once their claim runs out
# (OUTBOX_CLAIM_SECONDS, shorter than the sweep), long before the broker's visibility timeout
# (below, sized for the longest task, the nightly backup) would hand its task to another worker.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=300)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production (DEBUG off) is secure by default; a plain-HTTP intranet install can
# turn SECURE_SSL_REDIRECT off explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Asking browsers to preload HSTS is the domain owner's decision (a county's domain may still
# have plain-HTTP subdomains), so it stays off unless SECURE_HSTS_PRELOAD is set, and the
# deploy check's reminder about it (security.W021) is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # no page of the system is meant to be framed
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
# Meeting videos (media_publish): an uploaded MP4 up to this size, or a link to the television
# station's site on one of these hosts (https only), which the CSP below lets the site frame.
RECORDING_MAX_BYTES = env.int("RECORDING_MAX_MB", default=1024) * 1024 * 1024
VIDEO_EMBED_HOSTS = env.list("VIDEO_EMBED_HOSTS", default=["tv.qinghe.example.cn"])
# Behind nginx, every file Django has checked (congress.files) is handed to nginx to send (with
# ranges) from this internal location instead of by Django; empty: Django sends it itself.
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "frame-src": [f"https://{host}" for host in VIDEO_EMBED_HOSTS] or [CSP.NONE],
    "media-src": [CSP.SELF, *(f"https://{host}" for host in VIDEO_EMBED_HOSTS)],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}


# Celery: the filesystem broker by default (no server), Redis when REDIS_URL is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task taken by a worker that dies comes back after this long (acks are late): longer
    # than any task runs, shorter than a reminder can wait. Redis's default is an hour.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600)}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Backups (manage.py backup / restore, congress.services.backups): one archive of the database
# and the uploaded files, written to BACKUP_DIR, or to an S3-compatible store when BACKUP_URL is
# s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/prefix] (https; ?http=1 for a local store).
# The nightly run keeps the last BACKUP_KEEP_DAILY days, BACKUP_KEEP_WEEKLY weeks and
# BACKUP_KEEP_MONTHLY months (the newest archive of each).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_URL = env.str("BACKUP_URL", default="")
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=5)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=12)
BACKUP_HOUR = env.int("BACKUP_HOUR", default=2)  # local time of the nightly backup

# How often the reminder engine scans due dates (seconds); also the beat interval.
REMINDER_SCAN_SECONDS = env.int("REMINDER_SCAN_SECONDS", default=30)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=500)
CELERY_BEAT_SCHEDULE = {
    "scan-reminders": {
        "task": "congress.tasks.scan_reminders",
        "schedule": REMINDER_SCAN_SECONDS,
    },
    "deliver-outbox": {
        "task": "congress.tasks.sweep_outbox",
        "schedule": OUTBOX_SWEEP_SECONDS,
    },
    # Scheduled publications appear at their time anyway (the site reads publish_at); this
    # marks them published and records it.
    "release-publications": {
        "task": "media_publish.tasks.release_due",
        "schedule": REMINDER_SCAN_SECONDS,
    },
    "nightly-backup": {
        "task": "congress.tasks.nightly_backup",
        "schedule": crontab(hour=BACKUP_HOUR, minute=30),
    },
}

# beat writes its schedule file after every task it sends, so the file's age tells that it is
# alive (manage.py check_beat, the beat container's healthcheck).
CELERY_BEAT_SYNC_EVERY = 1
CELERY_BEAT_SCHEDULE_FILE = env.str("CELERY_BEAT_SCHEDULE_FILE", default=str(VAR_DIR / "celerybeat-schedule"))


# Deputies' personal login links (QR codes): signed, expiring, revocable.
DEPUTY_LINK_MAX_AGE_DAYS = env.int("DEPUTY_LINK_MAX_AGE_DAYS", default=180)

# Logs: one JSON object a line in production (LOG_FORMAT=json, the default without DEBUG), with
# the request id django-structlog gives each request and carries into the Celery tasks it
# starts; readable lines in development.
import structlog  # noqa: E402

LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
_LOG_CHAIN = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso"),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(ensure_ascii=False)
                if LOG_FORMAT == "json"
                else structlog.dev.ConsoleRenderer(colors=False),
            ],
            "foreign_pre_chain": _LOG_CHAIN,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
structlog.configure(
    # An event below the logger's level is dropped before any work is done on it.
    processors=[structlog.stdlib.filter_by_level, *_LOG_CHAIN, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# One line a request (request_finished, with its status); its start only at DEBUG. The request
# log names neither the user nor the address: resolving the user would read the session of every
# request, a public page's and a phone vote's included, and the address is in nginx's access
# log. Who changed what is in the audit log (congress.middleware.AuditActorMiddleware).
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10  # logging.DEBUG
DJANGO_STRUCTLOG_USER_ID_FIELD = None
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False

# /metrics answers a scraper that sends "Authorization: Bearer <METRICS_TOKEN>" (congress.metrics).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Several gunicorn workers count into one folder (prometheus_client's multiprocess mode).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
