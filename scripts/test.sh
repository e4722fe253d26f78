#!/usr/bin/env bash
# npm test: installs what the tests need on a fresh Debian machine, then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v amtool >/dev/null || need+=(prometheus-alertmanager)
command -v prometheus-blackbox-exporter >/dev/null || need+=(prometheus-blackbox-exporter)
# The live e2e suite (tests/e2e) runs the daemons themselves in a private network namespace.
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v prometheus-node-exporter >/dev/null || need+=(prometheus-node-exporter)
# The HA pair's long-term store (tests/e2e/ha-long-term.test.ts): Debian ships VictoriaMetrics' single node.
command -v victoria-metrics >/dev/null || need+=(victoria-metrics)
command -v ip >/dev/null || need+=(iproute2)
command -v unshare >/dev/null || need+=(util-linux)
command -v mount >/dev/null || need+=(mount)
# Live checks POST to the daemons inside the namespace (remote write, Alertmanager's status API).
command -v curl >/dev/null || need+=(curl)
# tests/backup runs the backup's own commands (wget to the snapshot API) inside the namespace via nsenter.
command -v wget >/dev/null || need+=(wget)
command -v nsenter >/dev/null || need+=(util-linux)
# tests/deploy runs scripts/pulumi.sh inside a pseudo-terminal, as a shell would.
command -v script >/dev/null || need+=(bsdutils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "need root to install: ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  readarray -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npx tsc --noEmit -p .
npx jest --ci "$@"
