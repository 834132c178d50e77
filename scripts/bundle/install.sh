#!/bin/sh
# Cài gialai-remote từ thư mục này, không cần mạng.
# Install gialai-remote from this folder, with no network.
#
#   sh install.sh [FOLDER]
#
# Finds a Python 3.10-3.13 that this bundle has wheels for (python3.13 ... python3.10, then
# python3 on PATH; set GIALAI_PYTHON to choose one), then runs install.py with it, which does
# the work and says where the command is.
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
installer="$here/install.py"

if [ -n "${GIALAI_PYTHON:-}" ]; then
    if "$GIALAI_PYTHON" "$installer" --check >/dev/null 2>&1; then
        exec "$GIALAI_PYTHON" "$installer" "$@"
    fi
    # install.py stops at its own check and says which builds this folder has.
    "$GIALAI_PYTHON" "$installer" "$@" || exit 1
    exit 1
fi

for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" "$installer" --check >/dev/null 2>&1; then
        exec "$candidate" "$installer" "$@"
    fi
done

echo "Không tìm thấy Python 3.10 - 3.13 phù hợp với bộ cài này (xem README.txt)." >&2
echo "  No Python 3.10 - 3.13 that this bundle fits was found (see README.txt)." >&2
exit 1
