#!/bin/sh
# Nightly backup and prune, run by sme-sheets-backup.service (as the service user, from /opt/sme-sheets).
# A shell wrapper only because systemd cannot format a date into a path.
#   backups/YYYY-MM-DDTHHMMSS/  the state store (python -m app backup: a consistent copy while the
#                               services run) + var/reference-secret and var/web-secret-key if present
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CONFIG=${SERVICE_CONFIG:-/etc/sme-sheets/config.toml}
DEST=backups/$(date +%Y-%m-%dT%H%M%S)

"$PY" -m app --config "$CONFIG" backup "$DEST"
# Without the reference secret a restored store cannot verify the links already sent to references.
for f in var/reference-secret var/web-secret-key; do
  if [ -f "$f" ]; then cp -p "$f" "$DEST/"; fi
done
# Run history older than a year goes; backups older than BACKUP_KEEP_DAYS (default 30) too.
"$PY" -m app --config "$CONFIG" prune --keep-days "${PRUNE_KEEP_DAYS:-365}"
find backups -mindepth 1 -maxdepth 1 -type d -mtime +"${BACKUP_KEEP_DAYS:-30}" -exec rm -rf {} +
