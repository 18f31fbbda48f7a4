#!/usr/bin/env bash
# Puts TDLib's JSON library (libtdjson.so) into .tdlib/ of the repository, for the user-account source
# (docs/SOURCES.md, "User account"). Debian has no TDLib package and building it takes half an hour, so the prebuilt
# library is taken from the `tdjson` Python wheel (a zip archive holding tdjson.libs/libtdjson-<hash>.so.<version>),
# downloaded by pip from the package index pip is configured with.
# Idempotent: does nothing when the pinned version is already there. Usage: install-tdlib.sh [dest-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.8.69
dest=${1:-.tdlib}
if [ -f "$dest/libtdjson.so" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$version" ]; then exit 0; fi

# The project's virtualenv (make test creates it) when there is one, else the system's Python.
python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "downloading TDLib $version (the tdjson wheel, about 18 MB)"
"$python" -m pip download -q --no-deps --only-binary=:all: --dest "$work" "tdjson==$version"
wheel=$(ls "$work"/tdjson-"$version"-*.whl)
"$python" - "$wheel" "$work/libtdjson.so" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    names = [n for n in wheel.namelist() if n.startswith("tdjson.libs/libtdjson")]
    if len(names) != 1:
        sys.exit(f"expected one tdjson.libs/libtdjson* in the wheel, found {names}")
    with wheel.open(names[0]) as src, open(sys.argv[2], "wb") as dst:
        shutil.copyfileobj(src, dst)
PY
mkdir -p "$dest"
install -m 0644 "$work/libtdjson.so" "$dest/libtdjson.so"
echo "$version" > "$dest/VERSION"
echo "TDLib $version installed: $dest/libtdjson.so"
