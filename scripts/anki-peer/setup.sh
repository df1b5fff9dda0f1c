#!/usr/bin/env bash
# Creates a Python venv with Anki's own library (the `anki` package alone, no Qt GUI), for the
# peer measurements in this folder. Idempotent: an existing venv with the right version is kept.
# Usage: scripts/anki-peer/setup.sh            (venv: $ANKI_PEER_VENV, default /tmp/anki-peer-venv)
set -euo pipefail
venv=${ANKI_PEER_VENV:-/tmp/anki-peer-venv}
version=${ANKI_PEER_VERSION:-26.9.3}
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
have=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("anki"))' 2>/dev/null || true)
if [[ "$have" != "$version" ]]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "anki==$version"
fi
echo "anki $version in $venv"
