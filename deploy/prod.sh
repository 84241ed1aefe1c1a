#!/usr/bin/env bash
# `make prod`: the production processes on this machine, against PostgreSQL.
#
# collectstatic (hashed names for WhiteNoise), migrate, then gunicorn (several workers with
# threads, gunicorn.conf.py) on HOST:PORT and the django-tasks db_worker; Ctrl+C stops both. A
# worker that exits (it does when PostgreSQL restarts) is started again; if gunicorn dies, the
# worker is stopped and make prod exits, for systemd to restart. DEBUG is off and HTTPS is on
# (HTTPS redirect, Secure cookies, HSTS), as production behind a TLS proxy needs (with
# PROXY_COUNT=1). Plain HTTP on 127.0.0.1 is an explicit choice: `make prod HTTPS=0`.
#
# Settings: the environment, then .env (deploy/with-env.sh). DEMO=1 also loads the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PROD_ENV_LOADED:-}" ]; then
  export PROD_ENV_LOADED=1
  exec deploy/with-env.sh "$0" "$@"
fi

PY=.venv/bin/python
# Production answers over HTTPS unless told otherwise; an unset HTTPS must not mean plain HTTP.
export HTTPS="${HTTPS:-1}"
case "${HTTPS,,}" in
  1 | true | yes | on) mode="HTTPS (di belakang proxy TLS; HTTP biasa: make prod HTTPS=0)" ;;
  *) mode="HTTP biasa (HTTPS=$HTTPS): hanya untuk 127.0.0.1, jangan untuk pengguna" ;;
esac
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rpjmd}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "make prod runs against PostgreSQL: set DATABASE_URL=postgres://..." >&2; exit 2 ;;
esac
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export GUNICORN_BIND="$HOST:$PORT"
# PROD_DRY_RUN=1: say what would start, start nothing (tests/hardening/test_prod_script.py).
if [ "${PROD_DRY_RUN:-0}" = 1 ]; then
  echo "DEBUG=$DEBUG HTTPS=$HTTPS PROXY_COUNT=${PROXY_COUNT:-0} bind=$GUNICORN_BIND"
  echo "Mode: $mode"
  exit 0
fi

"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput
if [ "${DEMO:-0}" = 1 ]; then "$PY" manage.py demo --quiet; fi

# The task worker exits when it loses the database (a PostgreSQL restart): start it again, as
# docker compose's restart policy does.
worker_loop() {
  local child=""
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' INT TERM
  while true; do
    "$PY" manage.py db_worker --interval 1 --no-reload & child=$!
    wait "$child" && exit 0
    echo "db_worker berhenti (status $?): dimulai lagi dalam 2 detik." >&2
    sleep 2 & wait $!
  done
}

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT
.venv/bin/gunicorn rpjmd.wsgi & pids+=($!)
worker_loop & pids+=($!)
echo "Produksi lokal: http://$HOST:$PORT/ (gunicorn ${WEB_CONCURRENCY:-3}x${WEB_THREADS:-4}, db_worker; Ctrl+C untuk berhenti)"
echo "Mode: $mode"
# If gunicorn ends, the run ends (and a supervisor such as systemd starts it again).
set +e
wait -n
status=$?
echo "Satu proses berhenti (status $status): menghentikan yang lain." >&2
exit "$status"
