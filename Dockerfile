# Stalking Clinic: one image for the web server, the Celery worker and Celery beat.
# docker-compose.yml runs it; the command decides which of the three a container is.
#
# Debian 13 (trixie), not 12 (bookworm): the Sass compiler in package-lock.json needs Node.js
# 20.19 or newer (its file watcher, chokidar 5, is an ES module), and bookworm's nodejs is 18.
FROM python:3.12-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint's libraries and a font (the Makefile's RUN_DEBS), and Node.js + npm to compile the CSS.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Python dependencies first, so that a change to the code does not reinstall them. Only
# pyproject.toml (and the README it names) is here yet, so `pip install .` installs the
# dependencies and no package of ours: the code is run from /app, where settings.py finds the
# templates and static files beside it.
COPY pyproject.toml README.md ./
RUN pip install .

# Front-end packages (GOV.UK Frontend, MoJ Frontend, Sass), exactly as locked.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .
RUN npm run --silent build:assets
RUN npm run --silent build:css

# Collect static files under production settings. Production refuses to start without its
# settings, so this step alone gets throw-away values; none of them is kept in the image.
ENV DJANGO_ENV=production \
    PYTHONPATH=/app
RUN SECRET_KEY=build-only-throw-away-key-never-used-at-run-time-0123456789abcdef \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=build.invalid \
    EMAIL_HOST=build.invalid \
    python manage.py collectstatic --noinput

# Run as an ordinary user. The code stays owned by root (read-only to the app); the only
# writable place is /var/lib/stalking-clinic: Celery beat's schedule file and the police log
# uploads and inbox (volumes; a new volume takes this ownership from the image).
RUN useradd --system --user-group --create-home --home-dir /home/clinic --uid 10001 clinic \
    && mkdir -p /var/lib/stalking-clinic/police-logs/uploads /var/lib/stalking-clinic/police-logs/inbox \
    && chown -R clinic:clinic /var/lib/stalking-clinic
USER clinic

ENV HOST=0.0.0.0 \
    PORT=8000
EXPOSE 8000

CMD ["gunicorn", "stalking_clinic.wsgi", "--config", "stalking_clinic/gunicorn.conf.py"]
