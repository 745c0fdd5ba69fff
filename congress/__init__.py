"""The county people's congress standing committee: the institution and the shared engines."""

from .celery import app as celery_app

__all__ = ["celery_app"]
