#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing (once): clickhouse-server
# for every command that runs ClickHouse; chromium, chromium-driver and CJK fonts for the wallboard's
# browser test. The packages' own services are not used: the project runs ClickHouse as its own
# process (LocalClickHouse), with its own config and data.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}; installing them needs root." >&2
  echo "Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]} (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed ${missing[*]}." >&2
