"""Settings for govopen, read from the environment and, for a checkout, from the file .env.

.env (KEY=value lines; `make run` writes one with a generated key and DEBUG on; DJANGO_ENV_FILE names
another file) only fills variables the environment does not already set.
DATABASE_URL      database (default: SQLite file db.sqlite3 in the project folder)
DJANGO_SECRET_KEY required unless DJANGO_DEBUG is on
DJANGO_DEBUG      "1"/"true" for development
DJANGO_ALLOWED_HOSTS comma separated
Security, sessions, cache and the other production variables: docs/operations.md.
"""
import datetime
import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.settings_values import channel_setting_problems, parse_int_list

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines of a .env file (blank lines and # comments skipped, optional quotes removed)."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


for _key, _value in read_env_file(Path(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env"))).items():
    os.environ.setdefault(_key, _value)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} 设置不正确：“{value}”，应为整数。") from None


def cache_from_url(url: str) -> dict:
    scheme = url.split("://", 1)[0].lower()
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "govopen_cache"}
    if scheme in {"redis", "rediss"}:
        if importlib.util.find_spec("redis") is None:
            raise ValueError("DJANGO_CACHE_URL is redis:// but the redis package is not installed (pip install redis)")
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ValueError(f"DJANGO_CACHE_URL: unsupported cache {url!r} (use db://, redis://host:port/db or locmem://)")


MISSING_SECRET_KEY = ("未设置 DJANGO_SECRET_KEY：请在环境变量或项目根目录的 .env 文件中设置它"
                      "（在本机试用时运行 make run 即可自动生成 .env；开发时也可设置 DJANGO_DEBUG=1）。")
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "govopen.apps.AxesConfig",  # django-axes, named in Chinese in the admin
    "govopen",
    "audit",
    "units",
    "tasks",
    "workflow",
    "ops",
    "devtools",
    "disclosure",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.headers.SecurityHeadersMiddleware",  # CSP and Cache-Control: no-store (not on static files)
    "core.sessions.SessionMiddleware",  # Django's, sliding the idle timeout at most once a minute
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditMiddleware",
    "audit.middleware.ScopedNotFoundAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "units.middleware.MustChangePasswordMiddleware",  # a password the office gave is changed first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govopen.urls"
WSGI_APPLICATION = "govopen.wsgi.application"

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
                "workflow.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it cost 0.1-0.5 s per grouped query of a year's rows (121 ms of 860 ms on 100,000
    # rows, EXPLAIN ANALYZE) and gains nothing on queries this size (README "What keeps pages fast").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "units.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Login lockout (django-axes): keyed by username AND address, never by address alone, because a whole
# office shares one NAT address. Five failures lock that username from that address for the cool-off.
AUTHENTICATION_BACKENDS = [
    "units.lockout.LockoutAwareBackend",  # axes' lockout check, marking refused requests for the audit trail
    "units.backends.UserBackend",  # ModelBackend, reading the user's unit and government in the same query
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
# An attempt during a lockout is refused without checking the password, and neither counts as a new
# failure nor restarts the cool-off (axes' default would, so even the right password prolonged the lock).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "audit.trail.client_ip"  # honours GOVOPEN_TRUST_X_FORWARDED_FOR like the audit trail

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are never served by URL from MEDIA_ROOT: views check visibility first.
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "govopen@localhost")

# Workflow: reminders (manage.py send_reminders) and the audit trail.
GOVOPEN_SITE_URL = os.environ.get("GOVOPEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails
try:
    GOVOPEN_REMINDER_DAYS_BEFORE = parse_int_list("GOVOPEN_REMINDER_DAYS_BEFORE",
                                                  os.environ.get("GOVOPEN_REMINDER_DAYS_BEFORE", "7,3"))
except ValueError as _exc:
    raise ImproperlyConfigured(str(_exc)) from None
# Annual reports (年报收集): units publish by this month-day of the next year, the government by the other.
GOVOPEN_ANNUAL_UNIT_DUE = os.environ.get("GOVOPEN_ANNUAL_UNIT_DUE", "01-31")
GOVOPEN_ANNUAL_GOVERNMENT_DUE = os.environ.get("GOVOPEN_ANNUAL_GOVERNMENT_DUE", "03-31")
# A reminder run started while another of the same day is sending waits this long for it, then gives up.
GOVOPEN_REMINDER_LOCK_WAIT_SECONDS = env_int("GOVOPEN_REMINDER_LOCK_WAIT_SECONDS", 600)
# Channels and digests (docs/reminders.md). No messages in quiet hours (local time) or on non-working days,
# except what the office marks urgent.
GOVOPEN_QUIET_HOURS = os.environ.get("GOVOPEN_QUIET_HOURS", "21:00-08:00")
GOVOPEN_STALLED_WORKING_DAYS = env_int("GOVOPEN_STALLED_WORKING_DAYS", 20)
# SMS gateway: an HTTP call; {phone} and {text} are replaced (URL-encoded). Empty: no SMS.
GOVOPEN_SMS_URL_TEMPLATE = os.environ.get("GOVOPEN_SMS_URL_TEMPLATE", "")
GOVOPEN_SMS_METHOD = os.environ.get("GOVOPEN_SMS_METHOD", "GET").upper()  # GET, or POST with a JSON body
GOVOPEN_SMS_BODY_TEMPLATE = os.environ.get("GOVOPEN_SMS_BODY_TEMPLATE", "")  # POST body ({phone} {text} JSON-escaped)
GOVOPEN_CHANNEL_TIMEOUT_SECONDS = env_int("GOVOPEN_CHANNEL_TIMEOUT_SECONDS", 5)
GOVOPEN_CHANNEL_MAX_ATTEMPTS = env_int("GOVOPEN_CHANNEL_MAX_ATTEMPTS", 3)
GOVOPEN_CHANNEL_RETRY_MINUTES = env_int("GOVOPEN_CHANNEL_RETRY_MINUTES", 15)  # doubled after each failure
# A badly written channel setting ends every command with one Chinese line (manage.py), never a traceback.
if _problems := channel_setting_problems(globals()):
    raise ImproperlyConfigured(_problems[0])
# Take the client address from X-Forwarded-For (its last entry) only behind a reverse proxy that sets it.
GOVOPEN_TRUST_X_FORWARDED_FOR = env_bool("GOVOPEN_TRUST_X_FORWARDED_FOR", False)

# Several app servers share state only through the database (sessions, cache) or a shared cache:
# DJANGO_CACHE_URL = db:// (default, table govopen_cache), redis://host:6379/0 (needs the redis package),
# locmem:// (one process only).
CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", "db://"))}
SESSION_ENGINE = "core.sessions"  # the database store, remembering the expiry it read (core/sessions.py)

# The idle timeout: a session unused this long is over. Each request slides it forward, writing the session
# row at most once per SESSION_REFRESH_SECONDS (not on every page: SESSION_SAVE_EVERY_REQUEST stays off).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# HTTPS (production, DJANGO_DEBUG off): on by default. An intranet served over plain HTTP opts out
# explicitly with DJANGO_SECURE_SSL_REDIRECT=0 / DJANGO_HSTS_SECONDS=0 / DJANGO_SECURE_COOKIES=0; only the
# deploy-check warnings of what was opted out are silenced. See docs/operations.md.
SILENCED_SYSTEM_CHECKS = []
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):  # behind a proxy that sets X-Forwarded-Proto
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS += [code for code, opted_out in [
        ("security.W008", not SECURE_SSL_REDIRECT),
        ("security.W004", not SECURE_HSTS_SECONDS),
        ("security.W005", SECURE_HSTS_SECONDS and not SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", not SECURE_HSTS_PRELOAD),  # preloading needs a public domain: opt-in only
        # the insecure session cookie (W010: Django names it so when the session middleware is core.sessions')
        ("security.W010", not SESSION_COOKIE_SECURE),
        ("security.W016", not CSRF_COOKIE_SECURE),
    ] if opted_out]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
