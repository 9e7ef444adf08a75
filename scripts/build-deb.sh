#!/usr/bin/env bash
# Builds the Debian package of Fupin into DIR (default ./dist-deb) with nfpm, a Go module
# pinned here, and checks what it holds. Usage: scripts/build-deb.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist-deb}"
mkdir -p "$out"
export FUPIN_DEB_ARCH="$(go env GOARCH)"
export FUPIN_VERSION="${FUPIN_VERSION:-0.$(git rev-list --count HEAD 2>/dev/null || echo 0).0}"
export FUPIN_BIN="$out/fupin"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$FUPIN_BIN" ./cmd/fupin
# nfpm expands variables in some fields only: the configuration is filled in here.
conf="$(mktemp --suffix=.yaml)"
trap 'rm -f "$conf"' EXIT
sed -e "s|\${FUPIN_DEB_ARCH}|$FUPIN_DEB_ARCH|; s|\${FUPIN_VERSION}|$FUPIN_VERSION|; s|\${FUPIN_BIN}|$FUPIN_BIN|" deploy/nfpm.yaml >"$conf"
go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2 pkg --config "$conf" --packager deb --target "$out/"
deb="$(ls -t "$out"/fupin_*.deb | head -1)"
# The package must hold the binary, the unit and the guide, and the unit must sandbox.
contents="$(dpkg-deb --contents "$deb")"
for f in ./usr/bin/fupin ./lib/systemd/system/fupin.service ./etc/fupin/fupin.toml ./usr/share/doc/fupin/INSTALL.md; do
  grep -q " $f\$" <<<"$contents" || { echo "$deb lacks $f"; exit 1; }
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/fupin/fupin.toml || { echo "fupin.toml is not a conffile"; exit 1; }
echo "built $deb ($(du -h "$deb" | cut -f1))"
