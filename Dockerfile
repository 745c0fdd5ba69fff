# The supervision system's image: web (gunicorn), Celery worker and Celery beat all run it.
# docker-compose.yml shows the production shape; .env.example lists what to configure.
FROM python:3.13-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=congress.settings \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/var/lib/congress/media

WORKDIR /app

# Dependencies first, so a code change does not reinstall them (psycopg[binary] is a wheel:
# no compiler needed).
# pg_dump and pg_restore for manage.py backup / restore (PostgreSQL 17, as in docker-compose).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY manage.py ./
COPY congress ./congress
COPY surveys ./surveys
COPY evaluations ./evaluations
COPY suggestions ./suggestions
COPY oversight ./oversight
COPY media_publish ./media_publish
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Static files are collected into the image (VAR_DIR/staticfiles, served by WhiteNoise). The
# key is a throwaway: collectstatic signs nothing and touches no database.
RUN DEBUG=false SECRET_KEY=collectstatic-at-build-time-only-not-a-secret \
    python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user. The media and beat-schedule folders are created here so that
# the named volumes mounted on them start out owned by that user.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin congress \
    && mkdir -p /var/lib/congress/media /var/lib/celery /var/backups/congress \
    && chown -R congress:congress /app/var /var/lib/congress /var/lib/celery /var/backups/congress
USER congress

EXPOSE 8000
# Alone, with no proxy in front, the image serves with threads, which a slow client cannot hold
# up; docker-compose.yml runs web with sync workers behind nginx, which buffers for them.
CMD ["gunicorn", "congress.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", \
     "--access-logfile", "-"]
