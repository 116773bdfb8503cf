#!/usr/bin/env bash
# Install what livret and its tests need on a fresh Debian or Ubuntu machine.
# System packages: Pango for WeasyPrint, HarfBuzz subsetting for reproducible fonts,
# GNU gettext (msgfmt), zbar (QR decoding in tests), poppler (pdftoppm, to look at pages),
# qpdf and MuPDF (the tests check every PDF with `qpdf --check`; `mutool draw` draws pages),
# Chromium and its driver (the browser test of `livret serve`). Then the Python packages
# at the versions locked in constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
          gettext zbar-tools poppler-utils qpdf mupdf-tools chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
  echo "installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages at the exact versions of constraints.txt (refresh it with scripts/lock.sh).
# PIP_CONSTRAINT, unlike -c, also pins the build backend in pip's isolated build environment.
PIP_CONSTRAINT="$PWD/constraints.txt" python3 -m pip install -q --disable-pip-version-check \
  --root-user-action=ignore -e '.[test]'
