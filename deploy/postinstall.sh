#!/bin/sh
# Creates the service account and the configuration directory on install (.deb).
set -e
if ! getent group fupin >/dev/null; then
  addgroup --system fupin
fi
if ! getent passwd fupin >/dev/null; then
  adduser --system --ingroup fupin --home /var/lib/fupin --no-create-home --shell /usr/sbin/nologin fupin
fi
install -d -o root -g fupin -m 0750 /etc/fupin
install -d -o fupin -g fupin -m 0750 /var/lib/fupin
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
fi
