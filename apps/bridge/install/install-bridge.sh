#!/usr/bin/env bash
# Installs the Nervesys bridge on this server and enrolls it with the control plane:
#   curl -fsSL https://CP/install-bridge.sh | sudo bash -s -- --url https://CP --token TOKEN
# Options: --prefix DIR (default /opt/nervesys), --data-dir DIR, --bin-dir DIR (where the
# nervesys-bridge command is linked; default /usr/local/bin), --no-service (enroll, then run in
# the foreground instead of installing a systemd unit).
set -euo pipefail

url="" token="" prefix="/opt/nervesys" data_dir="" bin_dir="/usr/local/bin" service=1
die() { echo "nervesys install: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="${2:-}"; shift 2 ;;
    --token) token="${2:-}"; shift 2 ;;
    --prefix) prefix="${2:-}"; shift 2 ;;
    --data-dir) data_dir="${2:-}"; shift 2 ;;
    --bin-dir) bin_dir="${2:-}"; shift 2 ;;
    --no-service) service=0; shift ;;
    *) die "unknown option $1" ;;
  esac
done
[ -n "$url" ] || die "--url is required"
[ -n "$token" ] || die "--token is required"
case "$url" in http://*|https://*) ;; *) die "--url must start with http:// or https://" ;; esac
case "$token" in nvs_enr_*) ;; *) die "--token is not a Nervesys enrollment token" ;; esac

command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required (https://nodejs.org)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))"
command -v curl >/dev/null 2>&1 || die "curl is required"

if [ -z "$data_dir" ]; then
  if [ "$(id -u)" -eq 0 ]; then data_dir="/var/lib/nervesys-bridge"; else data_dir="$HOME/.nervesys-bridge"; fi
fi

mkdir -p "$prefix/bin" "$prefix/lib"
bundle="$prefix/lib/nervesys-bridge.cjs"
for file in nervesys-bridge.cjs nervesys-bridge-s3.cjs; do
  curl -fsSL "$url/downloads/$file" -o "$prefix/lib/$file.tmp" || die "cannot download $file from $url"
  mv "$prefix/lib/$file.tmp" "$prefix/lib/$file"
done

# The log buffer needs better-sqlite3's compiled addon beside the bundle. The control plane serves
# the one it was built with; when this host's platform or Node ABI differs, npm builds a matching one.
addon="$prefix/lib/better_sqlite3.node"
read -r served_target sqlite_version < <(curl -fsSL "$url/downloads/native.txt") || die "cannot read $url/downloads/native.txt"
here_target=$(node -p 'process.platform + "-" + process.arch + "-" + process.versions.modules')
if [ "$served_target" = "$here_target" ]; then
  curl -fsSL "$url/downloads/better_sqlite3.node" -o "$addon.tmp" || die "cannot download the SQLite addon from $url"
else
  echo "the control plane's SQLite addon is for $served_target, this host is $here_target: building better-sqlite3@$sqlite_version with npm"
  command -v npm >/dev/null 2>&1 || die "npm is required to build better-sqlite3 for $here_target"
  build_dir=$(mktemp -d)
  # npm 12 runs a dependency's install script (which fetches or builds the addon) only when the
  # project allows it; older npm ignores the field and runs it anyway.
  printf '{"private":true,"allowScripts":{"better-sqlite3":true}}\n' > "$build_dir/package.json"
  built="$build_dir/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
  (cd "$build_dir" && npm install --no-save --no-audit --no-fund "better-sqlite3@$sqlite_version" >/dev/null) &&
    [ -f "$built" ] ||
    die "npm could not install better-sqlite3@$sqlite_version (a compiler may be needed: python3, make, g++)"
  cp "$built" "$addon.tmp"
  rm -rf "$build_dir"
fi
mv "$addon.tmp" "$addon"
cat > "$prefix/bin/nervesys-bridge" <<WRAPPER
#!/bin/sh
# The daemon runs with a small young generation (its allocations are short-lived) and without V8's
# baseline compiler from its first line on (apps/bridge/src/v8-flags.ts says why and sets the rest).
# A later Node that no longer knows a flag would refuse to start: they are tried first.
flags=
if [ "\$1" = run ]; then
  flags="--max-semi-space-size=2 --no-sparkplug"
  node \$flags -e 0 >/dev/null 2>&1 || flags=
fi
NERVESYS_BRIDGE_HOME="\${NERVESYS_BRIDGE_HOME:-$data_dir}" exec node \$flags "$bundle" "\$@"
WRAPPER
chmod 0755 "$prefix/bin/nervesys-bridge"
if [ -d "$bin_dir" ] && [ -w "$bin_dir" ]; then ln -sf "$prefix/bin/nervesys-bridge" "$bin_dir/nervesys-bridge"; fi

"$prefix/bin/nervesys-bridge" enroll --url "$url" --token "$token"

if [ "$service" -eq 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  cat > /etc/systemd/system/nervesys-bridge.service <<UNIT
[Unit]
Description=Nervesys bridge
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$prefix/bin/nervesys-bridge run
Restart=always
RestartSec=5
Environment=NERVESYS_BRIDGE_HOME=$data_dir
# Hand freed memory back to the system at once: the daemon idles most of the time.
Environment=GLIBC_TUNABLES=glibc.malloc.trim_threshold=0

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now nervesys-bridge.service
  echo "nervesys bridge installed and running (systemctl status nervesys-bridge)"
else
  echo "starting the bridge in the foreground (Ctrl-C stops it)"
  exec "$prefix/bin/nervesys-bridge" run
fi
