#!/usr/bin/env bash
# Run a command with the production environment: variables already set win, then .env (if
# present), DEBUG off, and without SECRET_KEY the random key kept in var/prod-secret-key.
# Used by make prod, make backup and make restore.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .env ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | \#*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    value=${value%\"}; value=${value#\"}; value=${value%\'}; value=${value#\'}
    if [ -z "${!key+x}" ]; then export "$key=$value"; fi
  done < .env
fi

export DEBUG=0
if [ -z "${SECRET_KEY:-}" ]; then
  mkdir -p var
  if [ ! -s var/prod-secret-key ]; then
    (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' \
      > var/prod-secret-key)
  fi
  SECRET_KEY=$(cat var/prod-secret-key)
  export SECRET_KEY
fi
exec "$@"
