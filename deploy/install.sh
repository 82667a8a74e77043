#!/usr/bin/env bash
# Installs Stipple as a systemd service on a Debian-like edge box, from this checkout.
# Run as root from the project folder: sudo deploy/install.sh
# Re-running it upgrades: it takes a backup first, then installs the new build and restarts.
set -euo pipefail
cd "$(dirname "$0")/.."

APP=/opt/stipple
DATA=/var/lib/stipple
BACKUPS=/var/backups/stipple
ENV_FILE=/etc/stipple/stipple.env

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo deploy/install.sh)"; exit 1; }
command -v node >/dev/null || { echo "install.sh: Node.js 20.19 or newer is needed (apt-get install nodejs)"; exit 1; }

id stipple >/dev/null 2>&1 || useradd --system --home-dir "$DATA" --shell /usr/sbin/nologin stipple
install -d -o stipple -g stipple -m 0700 "$DATA" "$BACKUPS"
install -d -m 0755 /etc/stipple

if [ ! -f "$ENV_FILE" ]; then
  umask 077
  cat > "$ENV_FILE" <<ENV
# Stipple settings (docs/operations.md lists them all).
STIPPLE_DATA_DIR=$DATA
STIPPLE_BACKUP_DIR=$BACKUPS
STIPPLE_ADMIN_TOKEN=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")
PORT=8080
STIPPLE_HTTPS_PORT=8443
ENV
  chmod 0600 "$ENV_FILE"
  echo "Wrote $ENV_FILE with a new admin token: read it there (root only) to sign in the first time."
fi

# An upgrade: the data is backed up before the new code (and its migrations) runs.
if systemctl is-active --quiet stipple; then
  (cd "$APP" && set -a && . "$ENV_FILE" && set +a && runuser -u stipple -- node --import tsx server/backup/backup-cli.ts) || {
    echo "install.sh: the backup before the upgrade failed; nothing was changed"; exit 1; }
fi

npm ci --no-audit --no-fund
npm run build
install -d -m 0755 "$APP"
cp -a package.json package-lock.json dist server web node_modules docs "$APP"/
install -m 0644 deploy/stipple.service /etc/systemd/system/stipple.service
systemctl daemon-reload
systemctl enable stipple
systemctl restart stipple
echo "Stipple is running: https://$(hostname):8443 (systemctl status stipple; journalctl -u stipple)"
