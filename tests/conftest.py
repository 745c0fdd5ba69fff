import pytest
from django.db import connection

from congress.celery import app as celery_app


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process in tests; on_commit callbacks still wait for the commit."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # Hashing each factory-made password with the production hasher would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production settings are the default; tests speak plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield


@pytest.fixture(autouse=True)
def _sms_to_a_file(settings, tmp_path):
    """SMS go to the test's own file (DIR/sms.jsonl), never to var/ or a provider."""
    settings.SMS_URL = f"file://{tmp_path / 'sms'}"


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    # What a process keeps of opened polls, as a fresh process would start: on SQLite a rolled
    # back test gives its ids to the next test's polls.
    from congress import selectors

    selectors._opened_sheets.clear()
    selectors._sheets.clear()


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_only(db):
    if not on_postgres():
        pytest.skip("needs PostgreSQL for real concurrent transactions (set DATABASE_URL)")
