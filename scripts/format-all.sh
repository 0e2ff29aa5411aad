#!/usr/bin/env bash
# Formats the whole tree with Prettier, once: deletes the "not yet formatted" block of
# .prettierignore, runs `prettier --write .`, then checks that `npm run lint` passes.
# Run from the repository root, on a clean tree, after the branches are merged:
#   bash scripts/format-all.sh && git commit -am 'Format the tree with Prettier'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -n "$(git status --porcelain)" ]]; then
  echo 'format-all: the working tree has changes; commit or stash them first' >&2
  exit 1
fi
# Everything from the BEGIN marker to the END marker, both included, and the blank line before.
awk '
  /^# --- not yet formatted \(BEGIN\) ---$/ { skipping = 1; pending_blank = 0; next }
  /^# --- not yet formatted \(END\) ---$/ { skipping = 0; next }
  skipping { next }
  /^$/ { pending_blank++; next }
  { while (pending_blank > 0) { print ""; pending_blank-- } print }
' .prettierignore > .prettierignore.new
mv .prettierignore.new .prettierignore
npx prettier --write . --log-level warn
echo "format-all: $(git diff --name-only | wc -l) file(s) changed"
npm run lint
