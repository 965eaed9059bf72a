#!/usr/bin/env bash
# Regenerate data/partnerships/leicestershire.xlsx from the Leicestershire data (vcsportal/leicestershire.py):
# load it into a throwaway SQLite database and write its set-up as the partnership_setup workbook.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export DATABASE_URL="sqlite:///$tmp/db.sqlite3"
"$PYTHON" manage.py migrate --noinput --verbosity 0
"$PYTHON" manage.py load_leicestershire > /dev/null
"$PYTHON" manage.py partnership_workbook --partnership leicestershire data/partnerships/leicestershire.xlsx
