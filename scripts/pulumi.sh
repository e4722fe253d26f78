#!/usr/bin/env bash
# npm run deploy  -- <stack> [--yes]  : pulumi up. Shows the preview and asks before changing anything;
#                                       --yes (yours to give, e.g. in CI after a reviewed preview) skips the question.
#                                       This script never adds --yes, for any stack.
# npm run preview -- <stack>          : pulumi preview --diff
# npm run stack   -- init <stack>     : create the stack with the passphrase secrets provider, so
#                                       `pulumi config set --secret` works before the first deploy.
# Each compiles the program first when its sources changed (npm run build).
# Uses a file backend inside the project (.pulumi-state/) so no Pulumi account is needed;
# set PULUMI_BACKEND_URL to use another backend. Secrets use the passphrase provider:
# export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) first.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: npm run deploy -- <stack> [--yes] | npm run preview -- <stack> | npm run stack -- init <stack>"
action="${1:-}"
[ "$action" = stack ] && { [ "${2:-}" = init ] || { echo "$usage" >&2; exit 2; }; action=init; shift; }
[ -n "$action" ] && shift || { echo "$usage" >&2; exit 2; }
stack=""
yes=()
for arg in "$@"; do
  case "$arg" in
    --yes|-y) yes=(--yes) ;;
    -*) echo "unknown option $arg; $usage" >&2; exit 2 ;;
    *) [ -z "$stack" ] && stack="$arg" || { echo "one stack at a time; $usage" >&2; exit 2; } ;;
  esac
done
[ -n "$stack" ] || { echo "name the stack; $usage (stacks here: $(ls Pulumi.*.yaml 2>/dev/null | sed 's/^Pulumi\.\(.*\)\.yaml$/\1/' | tr '\n' ' '))" >&2; exit 2; }
case "$action" in up|preview|init) ;; *) echo "unknown action $action; $usage" >&2; exit 2 ;; esac
[ "$action" = up ] || [ ${#yes[@]} -eq 0 ] || { echo "--yes only applies to deploy" >&2; exit 2; }

command -v pulumi >/dev/null || { echo "pulumi CLI not found: install it from https://www.pulumi.com/docs/install/" >&2; exit 1; }
# pulumi up asks in the terminal; without one it could only proceed unasked, which this script never does.
if [ "$action" = up ] && [ ${#yes[@]} -eq 0 ] && ! [ -t 0 ]; then
  echo "pulumi up shows the preview and asks before changing anything, and there is no terminal to ask in." >&2
  echo "Review the change with: npm run preview -- $stack   then approve it with: npm run deploy -- $stack --yes" >&2
  exit 1
fi
[ -d node_modules ] || npm ci
# Pulumi runs the compiled bin/index.js (Pulumi.yaml main): compile when sources changed since
# the last build (type errors stop here). bin/index.js itself refuses to run a stale build.
node scripts/build.js --if-stale
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
created=""
if ! select_error="$(pulumi stack select "$stack" 2>&1)"; then
  pulumi stack init "$stack" --secrets-provider passphrase || { echo "pulumi stack select $stack: $select_error" >&2; exit 1; }
  created=yes
fi
case "$action" in
  up) pulumi up "${yes[@]}" --stack "$stack" && pulumi stack output --stack "$stack" ;;
  preview) pulumi preview --diff --stack "$stack" ;;
  init)
    if [ -n "$created" ]; then echo "Created stack '$stack' (backend $PULUMI_BACKEND_URL, passphrase secrets provider)."
    else echo "Stack '$stack' already exists (backend $PULUMI_BACKEND_URL); selected it."; fi
    [ -f "Pulumi.$stack.yaml" ] || echo "Pulumi.$stack.yaml holds its config: start from Pulumi.example.yaml (cp Pulumi.example.yaml Pulumi.$stack.yaml)."
    cat <<NEXT
Next, in a shell with the same two variables exported:
  export PULUMI_BACKEND_URL="$PULUMI_BACKEND_URL"
  export PULUMI_CONFIG_PASSPHRASE=...            # the one you used here
  pulumi config set --secret --stack $stack --path 'alerting.receivers[0].botToken' <token>   # each secret your receivers need
  npm run render -- --stack $stack --out /tmp/$stack   # lists any secret still unset ("not set")
  npm run deploy -- $stack                               # shows the preview and asks
NEXT
    ;;
esac
