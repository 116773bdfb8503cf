#!/usr/bin/env bash
# Refresh constraints.txt: resolve the newest versions that pyproject.toml allows (runtime
# and test extras, and the build backend) in a fresh virtual environment, and pin them all.
# Then run the tests (python3 -m pytest -q) and commit constraints.txt if they pass.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
PIP_CONSTRAINT= "${pip[@]}" install --upgrade-strategy eager -e '.[test]'
{
  echo "# Exact versions for scripts/setup.sh (and so for CI), resolved by scripts/lock.sh on"
  echo "# $(date -u +%F) with $("$venv/bin/python" -V). Refresh: bash scripts/lock.sh"
  "${pip[@]}" freeze --all --exclude-editable | grep -v -i '^pip=='
} >constraints.txt
echo "wrote constraints.txt ($(grep -c '==' constraints.txt) packages); now run: python3 -m pytest -q"
