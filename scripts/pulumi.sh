#!/usr/bin/env bash
# npm run deploy -- <stack>   : pulumi up      (stack dev or prod)
# npm run preview -- <stack>  : pulumi preview --diff
# Uses a file backend inside the project (.pulumi-state/) so no Pulumi account is needed;
# set PULUMI_BACKEND_URL to use another backend. Secrets use the passphrase provider:
# export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) first.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:?usage: pulumi.sh up|preview <stack>}"
stack="${2:-dev}"
command -v pulumi >/dev/null || { echo "pulumi CLI not found: install it from https://www.pulumi.com/docs/install/" >&2; exit 1; }
[ -d node_modules ] || npm ci
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$(pwd)/.pulumi-state}"
case "$PULUMI_BACKEND_URL" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
# A non-empty passphrase, or a passphrase file. Pulumi itself accepts an empty passphrase, which
# encrypts the stack's secrets with a key anyone can derive: refused here.
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ -n "${PULUMI_CONFIG_PASSPHRASE+set}" ]; then
    echo "PULUMI_CONFIG_PASSPHRASE is empty: an empty passphrase leaves this stack's secrets readable by anyone with the stack file. Choose one and run again." >&2
  else
    echo "Set PULUMI_CONFIG_PASSPHRASE (it encrypts this stack's secrets) and run again." >&2
  fi
  exit 1
fi
if ! select_error="$(pulumi stack select "$stack" 2>&1)"; then
  pulumi stack init "$stack" --secrets-provider passphrase || { echo "pulumi stack select $stack: $select_error" >&2; exit 1; }
fi
case "$action" in
  up) pulumi up --yes --stack "$stack" && pulumi stack output --stack "$stack" ;;
  preview) pulumi preview --diff --stack "$stack" ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
