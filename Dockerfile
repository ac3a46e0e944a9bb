# Frontdesk container image.
#   docker build -t frontdesk .
#   docker run -p 8000:8000 -v frontdesk-data:/data -e FRONTDESK_ADMIN_API_KEY=... frontdesk
# docs/operations.md describes the settings, volumes and running behind a proxy.

# --- builder: the project and its dependencies, installed into a virtualenv ------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# pyproject.toml names README.md as the package description, so the build needs it.
COPY pyproject.toml README.md ./
COPY core ./core
COPY plugins ./plugins
# A regular (non-editable) install from a wheel: only the packages land in the venv.
RUN pip wheel --no-deps --wheel-dir /tmp/wheels . \
    && pip install /tmp/wheels/*.whl

# --- runtime: the venv, the migrations and the tenant files; nothing else ---------------------
FROM python:3.11-slim

RUN groupadd --system --gid 10001 frontdesk \
    && useradd --system --uid 10001 --gid frontdesk --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin frontdesk \
    && mkdir /data \
    && chown frontdesk:frontdesk /data

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The wheel holds `core` and `plugins` only; the Alembic environment and the declarative
# tenant files are data, copied next to it (read-only for the service user).
COPY migrations ./migrations
COPY tenants ./tenants

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FRONTDESK_HOST=0.0.0.0 \
    FRONTDESK_PORT=8000 \
    FRONTDESK_DATABASE_URL=sqlite+aiosqlite:////data/frontdesk.db \
    FRONTDESK_MIGRATIONS_DIR=/app/migrations \
    FRONTDESK_SECRET_KEY_FILE=/data/secret.key

USER frontdesk
# The embedded SQLite database and the generated secret key live here; mount a volume.
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('FRONTDESK_PORT', '8000') + '/health', timeout=4)"]

CMD ["frontdesk", "serve"]
