"""Settings shared by every environment; each value can be set from the environment."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from . import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()
# Name, address, language and time zone recorded by `masthead init` (the environment wins).
env.load_site_file(DATA_DIR)

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.env_bool("DEBUG", False)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "masthead.core",
    "masthead.images",
    "masthead.people",
    "masthead.sections",
    "masthead.articles",
    "masthead.live",
    "masthead.running",
    "masthead.pages",
    "masthead.navigation",
    "masthead.dashboard",
    "masthead.discovery",
    "masthead.syndication",
    "masthead.editorial",
    "masthead.imports",
    "masthead.search",
    "masthead.demo",
    "masthead.caching",
    "masthead.accounts",
    "masthead.background",
    "masthead.newsletters",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "masthead.api",
    # Before Wagtail: its publish_scheduled command replaces Wagtail's (held stories).
    "masthead.operations",
    "masthead.republishing",
    "masthead.webhooks",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtailmedia",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "masthead.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text answers compressed for browsers that accept gzip; cached pages carry their
    # compressed copy, so this compresses only what the page cache does not keep.
    "masthead.caching.compression.TextGZipMiddleware",
    # Early, so a cached page for an anonymous reader costs one cache lookup and no
    # session, CSRF, auth or message work; the headers those add are kept with the copy.
    "masthead.caching.middleware.PageCacheMiddleware",
    "masthead.core.request_memo.RequestMemoMiddleware",
    "masthead.sections.routing.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Malformed input (a missing form field, a date past the calendar) answers 400.
    "masthead.core.bad_request.BadRequestMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A publish the publishing gate refused becomes an admin message (operations.gate).
    "masthead.operations.middleware.PublishRefusedMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "masthead.core.context_processors.site_meta",
                "masthead.navigation.context_processors.identity",
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR / "masthead.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip() or None
CACHES = env.cache(REDIS_URL, DATA_DIR)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("MASTHEAD_LANGUAGE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Media are served by the app only on the embedded default; production puts a web
# server or object storage in front.
MASTHEAD_SERVE_MEDIA = env.env_bool("MASTHEAD_SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "querystring_auth": False,
            # Names are never reused for other pixels (renditions carry a random part,
            # masthead.images.models): browsers and CDNs may keep them for a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    MASTHEAD_SERVE_MEDIA = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads are private to the service user like the rest of the data folder
# (masthead.core.file_modes); readers get them through the app, which checks restrictions.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "The Meridian Ledger")
# The site's public address (masthead.core.site_address): set here, it overrides the
# Wagtail Site that `masthead init --base-url` records; the admin's links use the same.
MASTHEAD_BASE_URL = os.environ.get("MASTHEAD_BASE_URL", "").strip() or None
WAGTAILADMIN_BASE_URL = MASTHEAD_BASE_URL or "http://127.0.0.1:8000"
WAGTAILIMAGES_IMAGE_MODEL = "images.MastheadImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "masthead.compat.search_backend"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Django Tasks: Wagtail's own small tasks run in-process ("default"); Masthead's long
# work (newsletters, webhooks) is queued in the database and run by the one background
# worker beside the scheduler ("background", docs/background.md).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
MASTHEAD_WORKER_INTERVAL = env.env_int("MASTHEAD_WORKER_INTERVAL", 2)
# A worker on another machine that has not written its heartbeat for this long is taken
# to be dead, and the task it was running is queued again.
MASTHEAD_WORKER_LEASE = env.env_int("MASTHEAD_WORKER_LEASE", 120)

# Full-page cache for anonymous readers (see masthead/caching/middleware.py).
MASTHEAD_PAGE_CACHE = env.env_bool("MASTHEAD_PAGE_CACHE", True)
MASTHEAD_PAGE_CACHE_SECONDS = env.env_int("MASTHEAD_PAGE_CACHE_SECONDS", 60)
MASTHEAD_PAGE_CACHE_STALE_SECONDS = env.env_int("MASTHEAD_PAGE_CACHE_STALE_SECONDS", 300)
# Parts of uncached renders reused while what they show is unchanged (caching.fragments).
MASTHEAD_FRAGMENT_CACHE = env.env_bool("MASTHEAD_FRAGMENT_CACHE", True)
MASTHEAD_FRAGMENT_CACHE_SECONDS = env.env_int("MASTHEAD_FRAGMENT_CACHE_SECONDS", 3600)
# The editorial name check learns names from this many of the newest live stories.
MASTHEAD_LEXICON_STORIES = env.env_int("MASTHEAD_LEXICON_STORIES", 2000)

# HTTP caches in front (Varnish, nginx), comma-separated base URLs such as
# http://127.0.0.1:6081. Masthead sends them a tag BAN for every change (caching/purge.py)
# and Wagtail's front-end cache module a PURGE of the published page's address.
MASTHEAD_PURGE_URLS = env.env_list("MASTHEAD_PURGE_URL", [])
for _url in MASTHEAD_PURGE_URLS:
    if not _url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"MASTHEAD_PURGE_URL={_url!r} is not an HTTP address. Example: http://127.0.0.1:6081"
        )
if MASTHEAD_PURGE_URLS:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        f"proxy{number}": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": url,
        }
        for number, url in enumerate(MASTHEAD_PURGE_URLS, start=1)
    }

# Scheduled publishing runs inside `masthead serve` and `masthead demo`.
MASTHEAD_SCHEDULER_INTERVAL = env.env_int("MASTHEAD_SCHEDULER_INTERVAL", 30)

# Syndication (docs/syndication.md): full text or standfirst in feeds, page sizes.
MASTHEAD_FEED_FULL_TEXT = env.env_bool("MASTHEAD_FEED_FULL_TEXT", False)
MASTHEAD_FEED_ITEMS = env.env_int("MASTHEAD_FEED_ITEMS", 50)
MASTHEAD_SITEMAP_PAGE_SIZE = env.env_int("MASTHEAD_SITEMAP_PAGE_SIZE", 5000)

LOGIN_URL = "wagtailadmin_login"
# Where a sign-in lands when its ``next`` is missing or off-site (Django's default,
# /accounts/profile/, does not exist here).
LOGIN_REDIRECT_URL = "/"

# E-mail (docs/newsletters.md): Django's own setting names, from the environment. With
# no EMAIL_HOST and no provider, mail is printed to the console (demo, embedded default).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_PORT = env.env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A provider's HTTP API through django-anymail instead of SMTP: amazon_ses, brevo,
# mailgun, postmark, sendgrid (keys below, named as anymail names them).
MASTHEAD_EMAIL_PROVIDER = os.environ.get("MASTHEAD_EMAIL_PROVIDER", "").strip().lower()
_EMAIL_PROVIDERS = {
    "amazon_ses": "anymail.backends.amazon_ses.EmailBackend",
    "brevo": "anymail.backends.brevo.EmailBackend",
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "postmark": "anymail.backends.postmark.EmailBackend",
    "sendgrid": "anymail.backends.sendgrid.EmailBackend",
}
if MASTHEAD_EMAIL_PROVIDER and MASTHEAD_EMAIL_PROVIDER not in _EMAIL_PROVIDERS:
    raise ImproperlyConfigured(
        f"MASTHEAD_EMAIL_PROVIDER={MASTHEAD_EMAIL_PROVIDER!r} is not one of "
        f"{', '.join(sorted(_EMAIL_PROVIDERS))} (or empty for SMTP)."
    )
if MASTHEAD_EMAIL_PROVIDER:
    EMAIL_BACKEND = _EMAIL_PROVIDERS[MASTHEAD_EMAIL_PROVIDER]
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ANYMAIL = {
    name: os.environ[name]
    for name in (
        "MAILGUN_API_KEY",
        "MAILGUN_SENDER_DOMAIN",
        "MAILGUN_WEBHOOK_SIGNING_KEY",
        "POSTMARK_SERVER_TOKEN",
        "SENDGRID_API_KEY",
        "BREVO_API_KEY",
        "AMAZON_SES_CONFIGURATION_SET_NAME",
    )
    if os.environ.get(name)
}
# Basic-auth "user:password" that providers put in their webhook calls (anymail checks it).
if os.environ.get("ANYMAIL_WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = os.environ["ANYMAIL_WEBHOOK_SECRET"]
# Newsletter sign-ups (docs/newsletters.md): (count, seconds) per address and per client.
MASTHEAD_NEWSLETTER_SIGNUP_LIMITS = {
    "address": (env.env_int("MASTHEAD_NEWSLETTER_ADDRESS_LIMIT", 5), 3600),
    "client": (env.env_int("MASTHEAD_NEWSLETTER_CLIENT_LIMIT", 20), 600),
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # The process id: several processes (workers, scheduler, background worker) share a log.
        "plain": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "masthead": {"level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": True},
    },
}

# Accounts and uploads (docs/security.md).
AUTHENTICATION_BACKENDS = ["masthead.accounts.backends.ThrottledModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "masthead.accounts.forms.ThrottledLoginForm"
MASTHEAD_LOGIN_FAILURE_LIMIT = env.env_int("MASTHEAD_LOGIN_FAILURE_LIMIT", 5)
MASTHEAD_LOGIN_LOCK_SECONDS = env.env_int("MASTHEAD_LOGIN_LOCK_SECONDS", 15 * 60)
# Wrong page or collection passwords, and password-reset requests (accounts.throttle).
MASTHEAD_PAGE_PASSWORD_FAILURE_LIMIT = env.env_int("MASTHEAD_PAGE_PASSWORD_FAILURE_LIMIT", 5)
MASTHEAD_PAGE_PASSWORD_LOCK_SECONDS = env.env_int("MASTHEAD_PAGE_PASSWORD_LOCK_SECONDS", 15 * 60)
MASTHEAD_RESET_ADDRESS_LIMIT = env.env_int("MASTHEAD_RESET_ADDRESS_LIMIT", 3)
MASTHEAD_RESET_CLIENT_LIMIT = env.env_int("MASTHEAD_RESET_CLIENT_LIMIT", 10)
MASTHEAD_RESET_SECONDS = env.env_int("MASTHEAD_RESET_SECONDS", 60 * 60)
# The reader's address (masthead.core.clients): X-Forwarded-For (or the header named
# here, e.g. HTTP_X_REAL_IP) is believed only from these proxies, loopback by default.
MASTHEAD_TRUSTED_PROXIES = env.env_networks("MASTHEAD_TRUSTED_PROXIES", "127.0.0.0/8,::1")
MASTHEAD_CLIENT_IP_HEADER = os.environ.get("MASTHEAD_CLIENT_IP_HEADER", "")
WAGTAILDOCS_DOCUMENT_FORM_BASE = "masthead.core.uploads.SafeDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
# Audio and video files (wagtailmedia has no limit of its own): the importer's limit too.
MASTHEAD_MEDIA_MAX_UPLOAD_SIZE = env.env_int("MASTHEAD_MEDIA_MAX_UPLOAD_SIZE", 200 * 1024 * 1024)
# No Gravatar: the admin would send every editor's e-mail hash to a third party, and the
# admin's Content-Security-Policy does not allow its images anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
