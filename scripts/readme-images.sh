#!/usr/bin/env bash
# Regenerate the README pictures in docs/images/ with `livret preview`.
#
#   scripts/readme-images.sh [DOC:PAGE]...
#
# Each DOC:PAGE writes docs/images/<doc>-p<page>-<lang>.png for every language of the
# project. By default: the guide's cover and third page, a checklist and the cheat sheets.
# Documents the project does not have are skipped with a note. DPI=80 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
dpi=${DPI:-80}
picks=("$@")
((${#picks[@]})) || picks=(guide:1 guide:3 checklist-event:1 cheatsheets:2)

listing=$("$python" cli.py list --format json)
read -r -a documents <<<"$("$python" -c 'import json, sys; print(*json.load(sys.stdin)["documents"])' <<<"$listing")"
read -r -a languages <<<"$("$python" -c 'import json, sys; print(*json.load(sys.stdin)["languages"])' <<<"$listing")"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/images
previewed=" "
for pick in "${picks[@]}"; do
  doc=${pick%%:*}
  page=${pick#*:}
  [[ $pick == *:* && $page =~ ^[0-9]+$ ]] || { echo "usage: $0 [DOC:PAGE]..." >&2; exit 2; }
  if [[ " ${documents[*]} " != *" $doc "* ]]; then
    echo "skipped $doc: not in livret.yaml yet"
    continue
  fi
  if [[ $previewed != *" $doc "* ]]; then
    "$python" cli.py -q preview "$doc" -o "$work" --dpi "$dpi" >/dev/null
    previewed+="$doc "
  fi
  for lang in "${languages[@]}"; do
    source=$(printf '%s/%s/%s-%02d.png' "$work" "$lang" "$doc" "$page")
    [[ -f $source ]] || source=$(printf '%s/%s/%s-%03d.png' "$work" "$lang" "$doc" "$page")
    if [[ ! -f $source ]]; then
      echo "$doc has no page $page in $lang" >&2
      exit 1
    fi
    cp "$source" "docs/images/$doc-p$page-$lang.png"
    echo "docs/images/$doc-p$page-$lang.png"
  done
done
