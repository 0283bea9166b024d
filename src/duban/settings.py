"""Django settings for duban.

The database comes from ``DATABASE_URL`` (e.g. ``postgres://user@127.0.0.1:5432/duban``); without it, duban
uses an embedded SQLite file under ``var/`` so that ``uv run duban …`` works with nothing else installed.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DUBAN_VAR_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("DUBAN_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = os.environ.get("DUBAN_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "duban.core",
    "duban.audit",
    "duban.orgs",
    "duban.accounts",
    "duban.plans",
    "duban.indicators",
    "duban.reporting",
    "duban.notices",
    "duban.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.web.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins per user name and address and refuses further tries for a while.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DUBAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DUBAN_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "duban/locked.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every login seems to come from the proxy; DUBAN_PROXY_COUNT trusted proxies in front
# make the client's own address (from X-Forwarded-For) the one counted.
if os.environ.get("DUBAN_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["DUBAN_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "duban.web.context.site",
            ],
        },
    },
]


def _database_from_env() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # `duban demo` keeps its own file, so that trying the demonstration never touches real data.
    name = os.environ.get("DUBAN_SQLITE_NAME", "duban.sqlite3")
    # An import job writes from a thread of the web process; a page that writes meanwhile waits for it
    # (up to 20 s) rather than failing after SQLite's default 5 s.
    # IMMEDIATE: a transaction takes the write lock when it begins, so that two that read and then write wait
    # for each other instead of one failing at once with "database is locked" (a deferred one cannot wait).
    options = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / name),
        "OPTIONS": options,
        # The tests' database is a file as well: an in-memory one is shared between threads through SQLite's
        # shared cache, whose table locks fail at once where a file's locks wait — the tests would then
        # exercise a locking the product never meets. One per process, so that two runs never share one.
        "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}-{name}")},
    }


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Chart code comes from the installed plotly package, never from a CDN or a copy in this repository.
    "duban.web.finders.PackageAssetFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The production server serves the compressed copies `collectstatic` made; tests and development serve
# assets straight from the finders.
WHITENOISE_USE_FINDERS = os.environ.get("DUBAN_STATIC_COLLECTED") != "1"
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:overview"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 8 * 3600
# Sessions are read on every page; the cache in front of the database spares that query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Evidence files: outside the static and media roots, served only through a view that checks the reader.
EVIDENCE_ROOT = Path(os.environ.get("DUBAN_EVIDENCE_DIR", VAR_DIR / "evidence"))
EVIDENCE_MAX_BYTES = int(os.environ.get("DUBAN_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
# A task table uploaded to start a plan (方案导入): real ones are a few hundred kilobytes, scans a few MB.
PLAN_DOCUMENT_MAX_BYTES = int(os.environ.get("DUBAN_PLAN_DOCUMENT_MAX_MB", "20")) * 1024 * 1024
# Data and facility files uploaded on the import page (数据导入), and how their import jobs run: "thread" in the
# web process that took the confirmation, or "command" for `duban import-jobs --run` (docs/web.md).
IMPORT_MAX_BYTES = int(os.environ.get("DUBAN_IMPORT_MAX_MB", "10")) * 1024 * 1024
IMPORT_JOBS_RUNNER = os.environ.get("DUBAN_IMPORT_RUNNER", "thread")
IMPORT_STALE_MINUTES = int(os.environ.get("DUBAN_IMPORT_STALE_MINUTES", "30"))
IMPORT_CHECKED_KEEP_DAYS = int(os.environ.get("DUBAN_IMPORT_KEEP_DAYS", "7"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Reminders go out by e-mail through Django's backends: SMTP when DUBAN_EMAIL_HOST is set, otherwise printed
# to the console (the demonstration's choice).
EMAIL_HOST = os.environ.get("DUBAN_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DUBAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DUBAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DUBAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DUBAN_EMAIL_TLS", "") == "1"
EMAIL_BACKEND = os.environ.get(
    "DUBAN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_EMAIL_FROM", "duban@localhost")
# The address people reach the web app at, e.g. https://duban.example.gov.cn: a link in an e-mail or a webhook
# message is read far from the site, where a bare path leads nowhere. Empty: links are paths only.
SITE_URL = os.environ.get("DUBAN_SITE_URL", "").strip().rstrip("/")
# How long a webhook may take to answer, and how many times a failed delivery is tried before it is left
# for a person to look at (it stays recorded either way).
NOTICE_WEBHOOK_TIMEOUT = 10
NOTICE_MAX_ATTEMPTS = 10
