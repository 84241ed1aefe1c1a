# Production image: the app under gunicorn; static files served by WhiteNoise.
FROM python:3.11-slim-bookworm

# Pango and friends for WeasyPrint (PDF export); gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/srv/var MEDIA_ROOT=/srv/var/media \
    STATIC_ROOT=/srv/staticfiles
WORKDIR /srv/app
COPY pyproject.toml ./
RUN pip install --no-cache-dir . && mkdir -p /srv/var
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --home /srv rpjmd && chown -R rpjmd /srv/var
USER rpjmd
EXPOSE 8000
# Workers, threads, timeouts and the access log format: gunicorn.conf.py (shared with make prod).
CMD ["gunicorn", "rpjmd.wsgi"]
