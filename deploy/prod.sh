#!/usr/bin/env bash
# `make prod`: the production processes on this machine, against PostgreSQL.
#
# collectstatic (hashed names for WhiteNoise), migrate, then gunicorn (several workers with
# threads, gunicorn.conf.py) on HOST:PORT and the django-tasks db_worker; Ctrl+C stops both, and
# if one of them dies the other is stopped too. DEBUG is off. HTTPS defaults to 0 here (plain
# HTTP on 127.0.0.1); behind a TLS proxy set HTTPS=1 and PROXY_COUNT=1.
#
# Settings: the environment, then .env (deploy/with-env.sh). DEMO=1 also loads the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PROD_ENV_LOADED:-}" ]; then
  export PROD_ENV_LOADED=1
  exec deploy/with-env.sh "$0" "$@"
fi

PY=.venv/bin/python
export HTTPS="${HTTPS:-0}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rpjmd}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "make prod runs against PostgreSQL: set DATABASE_URL=postgres://..." >&2; exit 2 ;;
esac
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export GUNICORN_BIND="$HOST:$PORT"

"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput
if [ "${DEMO:-0}" = 1 ]; then "$PY" manage.py demo --quiet; fi

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT
.venv/bin/gunicorn rpjmd.wsgi & pids+=($!)
"$PY" manage.py db_worker --interval 1 --no-reload & pids+=($!)
echo "Produksi lokal: http://$HOST:$PORT/ (gunicorn ${WEB_CONCURRENCY:-3}x${WEB_THREADS:-4}, db_worker; Ctrl+C untuk berhenti)"
# Whichever process ends first ends the run (a dead worker must not go unnoticed).
set +e
wait -n
status=$?
echo "Satu proses berhenti (status $status): menghentikan yang lain." >&2
exit "$status"
