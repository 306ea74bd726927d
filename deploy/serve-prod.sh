#!/usr/bin/env bash
# Run Anvis locally in its production profile (ANVIS_ENV=production): collected, hashed static
# files served by WhiteNoise, gunicorn with gunicorn.conf.py, the task worker and the scheduler,
# the same three processes the systemd units run (deploy/systemd/). Used by `make serve-prod`
# and by the test that exercises the recipe (tests/deploy/test_serve_prod.py).
#
# Needs DATABASE_URL (PostgreSQL). Secrets come from the environment; when they are missing a
# throw-away set is made for this run only (never use those for real data). Plain HTTP on
# loopback: SECURE_SSL_REDIRECT is off unless set; cookies stay Secure as in production.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/anvis_prod}"
py=.venv/bin/python
rand() { "$py" -c 'import secrets; print(secrets.token_urlsafe(64))'; }
export ANVIS_ENV=production
export SECRET_KEY="${SECRET_KEY:-$(rand)}"
export ANVIS_LOOKUP_KEY="${ANVIS_LOOKUP_KEY:-$(rand)}"
export ANVIS_FIELD_KEYS="${ANVIS_FIELD_KEYS:-$("$py" -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')}"
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8000}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export STATIC_ROOT="${STATIC_ROOT:-$PWD/var/prod-static}"
export ANVIS_BIND="$HOST:$PORT"
"$py" manage.py compilemessages --ignore=.venv -v 0
"$py" manage.py collectstatic --noinput -v 0
"$py" manage.py migrate --noinput -v 0
"$py" manage.py check --deploy --fail-level ERROR
echo "Anvis (production profile) on http://$ANVIS_BIND/"
exec .venv/bin/honcho --no-colour start -f Procfile
