import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Reply letters and attachments go to a scratch folder, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
