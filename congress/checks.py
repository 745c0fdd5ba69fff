"""System checks that refuse a configuration the committee could not run on."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_configuration(app_configs=None, **kwargs):
    errors = []
    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not settings.DEBUG:
        if not broker or broker.startswith("memory://"):
            errors.append(
                checks.Error(
                    "No message broker is configured for production: reminders would never be sent.",
                    hint="Set REDIS_URL (or CELERY_BROKER_URL) to the production Redis.",
                    id="congress.E001",
                )
            )
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            errors.append(
                checks.Error(
                    "CELERY_TASK_ALWAYS_EAGER is on in production: tasks would run inside web requests.",
                    hint="Leave CELERY_TASK_ALWAYS_EAGER unset outside tests.",
                    id="congress.E002",
                )
            )
    interval = getattr(settings, "REMINDER_SCAN_SECONDS", 0)
    if not isinstance(interval, int) or not 1 <= interval <= 3600:
        errors.append(
            checks.Error(
                f"REMINDER_SCAN_SECONDS is {interval!r}; it must be between 1 and 3600 seconds.",
                id="congress.E003",
            )
        )
    if getattr(settings, "DEPUTY_LINK_MAX_AGE_DAYS", 0) < 1:
        errors.append(checks.Error("DEPUTY_LINK_MAX_AGE_DAYS must be at least 1.", id="congress.E004"))
    if settings.TIME_ZONE != "Asia/Shanghai":
        errors.append(
            checks.Warning(
                f"TIME_ZONE is {settings.TIME_ZONE}; deadlines are meant in China Standard Time.",
                id="congress.W001",
            )
        )
    return errors


@checks.register(checks.Tags.database, deploy=True)
def check_production_services(app_configs=None, **kwargs):
    warnings = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            checks.Warning(
                "The database is SQLite: fine for a trial, not for the committee's production system.",
                hint="Set DATABASE_URL to PostgreSQL.",
                id="congress.W002",
            )
        )
    if (getattr(settings, "CELERY_BROKER_URL", "") or "").startswith("filesystem://"):
        warnings.append(
            checks.Warning(
                "Celery uses the filesystem broker, which only works when web, worker and beat share one disk.",
                hint="Set REDIS_URL for production.",
                id="congress.W003",
            )
        )
    return warnings


@checks.register(checks.Tags.security)
def check_file_rules(app_configs=None, **kwargs):
    """Every uploaded file must belong to a record with a download rule (congress.files): a
    file field without one could be neither served nor refused."""
    from congress import files

    errors = []
    for model, field in files.record_file_fields():
        label = f"{model._meta.label}.{field.name}"
        if not isinstance(field, files.RecordFileField):
            errors.append(
                checks.Error(
                    f"{label} is a plain FileField: its uploads would be neither checked nor served.",
                    hint="Use congress.files.RecordFileField with the types it accepts.",
                    id="congress.E020",
                )
            )
        elif (model._meta.label_lower, field.name) not in files.RULES:
            errors.append(
                checks.Error(
                    f"{label} has no download rule.",
                    hint="Register one with congress.files.register() in the app's ready().",
                    id="congress.E021",
                )
            )
    return errors
