"""Test settings: the production code path on PostgreSQL and Redis, with fast hashing."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crmr")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# pytest-xdist: each test process gets its own Redis database, so a real worker started by one process
# never consumes another process's tasks (each process also has its own test database).
_xdist = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist.startswith("gw"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    os.environ["REDIS_URL"] = f"{_base}/{(int(_db or 0) + 1 + int(_xdist[2:])) % 16}"

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "test-media")))
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Most tests run tasks in-process; tests marked `celery_worker` run a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DASHBOARD_CACHE_SECONDS = 0  # figures computed at each request; tests/reporting/test_dashboard_cache.py turns it on
DEMO_PASSWORD = "demo"
