#!/usr/bin/env bash
# Fetches the other servers the tests run against, from Debian's packages, into a private
# folder (default .servers/, or $REDIS_LEARN_SERVERS_DIR), without changing the system's
# package sources or its libc:
#   .servers/bin/valkey-server-8   Valkey 8.0 from Debian 12's backports (runs on Debian 12's libc)
#   .servers/bin/redis-server-8    Redis 8.0 from Debian 13, run with Debian 13's own loader and libraries
# Each has its -cli beside it. Already fetched servers are kept. Needs apt-get (Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${REDIS_LEARN_SERVERS_DIR:-$PWD/.servers}"
mkdir -p "$dir/bin" "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
if [ -x "$dir/bin/valkey-server-8" ] && [ -x "$dir/bin/redis-server-8" ]; then exit 0; fi

cat > "$dir/apt/sources.list" <<'LIST'
deb http://deb.debian.org/debian bookworm-backports main
deb http://deb.debian.org/debian trixie main
LIST
apt=(-q -o "Dir::Etc::sourcelist=$dir/apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
  -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache" -o Debug::NoLocking=1)
apt-get "${apt[@]}" update >/dev/null

fetch() { # fetch <folder> <package=version or package/suite>...
  local into="$dir/$1"; shift
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get "${apt[@]}" download "$@" >/dev/null 2>&1) || { rm -rf "$tmp"; echo "fetch-servers: could not download $*" >&2; return 1; }
  rm -rf "$into" && mkdir -p "$into"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$into"; done
  rm -rf "$tmp"
}

# Valkey 8: built for Debian 12, so it runs as it is.
valkey=8.0.1+dfsg1-1~bpo12+1
fetch valkey-8 "valkey-server=$valkey" "valkey-tools=$valkey"
ln -sf "$dir/valkey-8/usr/bin/valkey-server" "$dir/bin/valkey-server-8"
ln -sf "$dir/valkey-8/usr/bin/valkey-cli" "$dir/bin/valkey-cli-8"

# Redis 8: built for Debian 13's libc, so it runs with that libc's own loader.
fetch redis-8 redis-server/trixie redis-tools/trixie libc6/trixie libatomic1/trixie libjemalloc2/trixie \
  liblzf1/trixie libssl3t64/trixie libstdc++6/trixie libgcc-s1/trixie libsystemd0/trixie libcap2/trixie \
  libzstd1/trixie liblz4-1/trixie liblzma5/trixie libgcrypt20/trixie libgpg-error0/trixie
for tool in server cli; do
  cat > "$dir/bin/redis-$tool-8" <<WRAP
#!/bin/sh
root="$dir/redis-8"
exec "\$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "\$root/usr/lib/x86_64-linux-gnu:\$root/lib/x86_64-linux-gnu" "\$root/usr/bin/redis-$tool" "\$@"
WRAP
  chmod +x "$dir/bin/redis-$tool-8"
done
"$dir/bin/valkey-server-8" --version
"$dir/bin/redis-server-8" --version
