# civicnet: one image for the web process, the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system civicnet \
    && useradd --system --gid civicnet --home-dir /app --no-create-home --shell /usr/sbin/nologin civicnet

WORKDIR /app

# Dependencies first, so code changes do not invalidate this layer.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY . .

# Build-time settings only (inline, so they do not persist into the image).
# `mkdir -p locale` keeps compilemessages from failing when no catalogues exist yet.
# /app/media and /app/private are created owned by civicnet so a named volume mounted on either inherits
# that ownership and the app can write uploads; the code itself stays root-owned.
RUN mkdir -p locale \
    && DEBUG=false SECRET_KEY=build-only-not-secret python manage.py compilemessages --ignore=.venv \
    && DEBUG=false SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/private \
    && chown civicnet:civicnet /app/media /app/private

USER civicnet

EXPOSE 8000

CMD ["sh", "-c", "exec gunicorn civicnet.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile - --forwarded-allow-ips='*'"]
