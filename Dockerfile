# The application image: Django served by gunicorn; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (official letters as PDF) needs Pango and fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Runtime set only: the test and quality tools (requirements-dev.txt) never enter the image.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN useradd --system --uid 1000 --home-dir /app app \
    && mkdir -p /app/staticfiles /app/var /data/media \
    && chown -R app:app /app/staticfiles /app/var /data/media
USER app

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
