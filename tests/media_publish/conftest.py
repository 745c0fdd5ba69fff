import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://renda.example.cn"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit side effects (the public site forgetting its cached pages) as a real
    commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
