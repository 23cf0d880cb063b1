#!/usr/bin/env bash
# install.sh - makes sure the local AWS stand-ins the tests start (s3rver and kinesalite, pinned in
# package.json / package-lock.json) are installed in tests/services/node_modules, installing
# Debian's nodejs and npm first when they are missing. Does nothing when all is there already.
#
# Usage: tests/services/install.sh            install if needed
#        tests/services/install.sh --relock   regenerate package-lock.json after editing
#                                             package.json (addresses and funding links stripped)
# The lock file holds no download addresses (.npmrc: omit-lockfile-registry-resolved), so npm
# fetches each package by name and version from the registry the machine is configured for.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

missing=""
command -v node >/dev/null 2>&1 || missing="nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  echo "install.sh: installing$missing" >&2
  $SUDO apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

# Strips what npm records beyond names, versions and hashes (download addresses, funding links).
strip_lock() {
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    for (const p of Object.values(lock.packages || {})) { delete p.resolved; delete p.funding; }
    fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");'
}

# One installer at a time (the normal and the sanitizer test runs may start together).
exec 9>"${TMPDIR:-/tmp}/sluice-test-services-$(id -u).lock"
flock 9

if [ "${1:-}" = "--relock" ]; then
  # A full install: a lock-only one leaves out the integrity hashes.
  rm -rf node_modules package-lock.json
  npm install --no-audit --no-fund --loglevel=error >&2
  strip_lock
fi

# Installed and matching the lock file: nothing to do.
if [ -f node_modules/s3rver/package.json ] && [ -f node_modules/kinesalite/package.json ] &&
  cmp -s package-lock.json node_modules/.sluice-lock; then
  exit 0
fi
echo "install.sh: npm ci in $here" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
cp package-lock.json node_modules/.sluice-lock
