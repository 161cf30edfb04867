#!/usr/bin/env bash
# make loadtest: gunicorn with the production settings on loopback; then Debian's wrk on each
# public page in turn (its throughput as a ratio to the one-query baseline's), and Locust for
# the questionnaire journey at a person's pace, each for a bounded time. Writes
# loadtest/results/report.md. Loopback only; everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${LOADTEST_PORT:-8123}"
USERS="${LOADTEST_USERS:-8}"
export LOADTEST_SECONDS="${LOADTEST_SECONDS:-20}"
WORKERS="${WEB_CONCURRENCY:-2}"
RESULTS=loadtest/results
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.csv "$RESULTS/throughput.json"

export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=0   # no TLS on loopback; requests come "through a proxy"
export DJANGO_BEHIND_TLS_PROXY=1
export DJANGO_CONN_MAX_AGE=60
export DJANGO_LOG_LEVEL=WARNING
export DJANGO_STATIC_ROOT="$RESULTS/static"
export HVSELECT_BENCHMARK_VIEW=1
# Every simulated user comes from 127.0.0.1: lift the per-client limits for the measurement.
export HVSELECT_QUESTIONNAIRE_POSTS_PER_MINUTE=100000000
export HVSELECT_SHARE_MISSES_PER_MINUTE=100000000
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/hvselect_loadtest"
fi
# And Redis for the shared cache (rate limits, rendered share pages) when one answers.
if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && [ -z "${REDIS_URL:-}" ]; then
  export REDIS_URL="redis://127.0.0.1:6379/15"
fi
if [ -n "${DATABASE_URL:-}" ]; then
  .venv/bin/python - <<'PY'
import os, psycopg2, dj_database_url
config = dj_database_url.parse(os.environ["DATABASE_URL"])
admin = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                         host=config["HOST"] or None, port=config["PORT"] or None)
admin.autocommit = True
with admin.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
    if cursor.fetchone() is None:
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
PY
else
  export HVSELECT_PGDATA="$PWD/.pgdata-loadtest"
fi

.venv/bin/python loadtest/prepare.py "$RESULTS/token.txt"
export HVSELECT_LOADTEST_TOKEN="$(cat "$RESULTS/token.txt")"
.venv/bin/python manage.py collectstatic --noinput -v0

.venv/bin/gunicorn hvselect.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$RESULTS/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.2
done

command -v wrk >/dev/null || { echo "make loadtest needs wrk: apt-get install wrk" >&2; exit 1; }
.venv/bin/python loadtest/throughput.py "http://127.0.0.1:$PORT" "$RESULTS"

echo "== questionnaire journey: $USERS people for ${LOADTEST_SECONDS}s"
.venv/bin/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate "$USERS" --run-time "${LOADTEST_SECONDS}s" --stop-timeout 5 \
  --csv "$RESULTS/Journey" --only-summary --loglevel WARNING Journey || true

.venv/bin/python loadtest/report.py "$RESULTS" "$WORKERS" "$USERS" | tee "$RESULTS/report.md"
