#!/usr/bin/env bash
# Installs Debian's clickhouse-server when it is missing. The package's own service is not used:
# the project runs the server as its own process (LocalClickHouse), with its own config and data.
set -euo pipefail
for bin in /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
  [ -x "$bin" ] && exit 0
done
if command -v clickhouse-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "clickhouse-server is not installed, and installing it needs root." >&2
  echo "Run as root: apt-get update && apt-get install -y clickhouse-server" >&2
  exit 1
fi
echo "Installing Debian's clickhouse-server (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq clickhouse-server >/dev/null
echo "clickhouse-server installed." >&2
