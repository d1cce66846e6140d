#!/usr/bin/env bash
# Installs and builds everything flx needs, into the system (Debian packages)
# and build/deps/ (npm sources, checked against deps.lock). Idempotent: when all
# is in place it only checks stamps and returns.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
deps=$root/build/deps
debs=(build-essential pkg-config openssl ca-certificates libuv1-dev libhttp-parser-dev libtree-sitter-dev
      libssl-dev libdouble-conversion-dev libmimalloc-dev graphviz wrk redis-server nginx-light time valgrind)

say() { printf 'setup: %s\n' "$*" >&2; }

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node and npm may come from elsewhere than Debian (e.g. NodeSource); ask for
# Debian's only when the commands are absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# fetch NAME VERSION INTEGRITY: npm pack into build/deps/dl, verify, unpack.
fetch() {
  local name=$1 version=$2 integrity=$3 dir=$deps/$1
  local stamp=$dir/.integrity
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$integrity" ] && return 0
  say "fetching $name@$version from npm"
  mkdir -p "$deps/dl"
  local tgz
  tgz=$(cd "$deps/dl" && npm pack --silent "$name@$version" 2>/dev/null | tail -n 1)
  local got="sha512-$(openssl dgst -sha512 -binary "$deps/dl/$tgz" | base64 -w0)"
  if [ "$got" != "$integrity" ]; then
    say "integrity mismatch for $name@$version: expected $integrity, got $got"
    exit 1
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$deps/dl/$tgz" -C "$dir" --strip-components=1
  echo "$integrity" > "$stamp"
}

while read -r name version integrity; do
  case "$name" in ''|'#'*) continue ;; esac
  fetch "$name" "$version" "$integrity"
done < deps.lock

# wait_all PID...: waits for each background build, failing if one failed.
wait_all() { local p; for p in "$@"; do wait "$p"; done; }

# QuickJS: the 2021-03-27 release carried inside qjsc@0.3.0, with flx's
# patches (deps/quickjs/, each says why) applied to a copy. The stamp names the
# patches, so changing one rebuilds the library.
qjs_src=$deps/qjsc/deps/quickjs_2021_03_27
qjs_out=$deps/quickjs
qjs_patches=$root/deps/quickjs
# -O3: its interpreter loop and property lookups run 4-5 % fewer instructions
# a request than at -O2 (bench/RESULTS.md).
qjs_cflags=(-O3 -g -fPIC -w -D_GNU_SOURCE -DCONFIG_VERSION='"2021-03-27"' -DCONFIG_BIGNUM)
qjs_stamp=$( (cat "$qjs_patches"/*; echo "${qjs_cflags[*]}") | sha256sum | cut -d' ' -f1)
if [ ! -f "$qjs_out/libquickjs.a" ] || [ "$(cat "$qjs_out/.patches" 2>/dev/null)" != "$qjs_stamp" ]; then
  say "building QuickJS"
  rm -rf "$qjs_out" && mkdir -p "$qjs_out/include"
  cp -r "$qjs_src" "$qjs_out/src"
  for p in "$qjs_patches"/*.patch; do
    patch -s -p1 -d "$qjs_out/src" < "$p"
  done
  pids=()
  for f in quickjs cutils libregexp libunicode libbf; do
    gcc "${qjs_cflags[@]}" -c "$qjs_out/src/$f.c" -o "$qjs_out/$f.o" & pids+=($!)
  done
  g++ -O2 -g -fPIC -Wall -c "$qjs_patches/number_text.cc" -o "$qjs_out/number_text.o" & pids+=($!)
  wait_all "${pids[@]}"
  ar rcs "$qjs_out/libquickjs.a" "$qjs_out"/*.o
  cp "$qjs_out/src/quickjs.h" "$qjs_out/include/"
  echo "$qjs_stamp" > "$qjs_out/.patches"
fi

# tree-sitter-javascript grammar, for libtree-sitter from Debian.
ts_src=$deps/tree-sitter-javascript/src
ts_out=$deps/tree-sitter-javascript-build
if [ ! -f "$ts_out/libtree-sitter-javascript.a" ]; then
  say "building tree-sitter-javascript"
  mkdir -p "$ts_out"
  gcc -O2 -g -fPIC -w -I"$ts_src" -c "$ts_src/parser.c" -o "$ts_out/parser.o" & pids=($!)
  gcc -O2 -g -fPIC -w -I"$ts_src" -c "$ts_src/scanner.c" -o "$ts_out/scanner.o" & pids+=($!)
  wait_all "${pids[@]}"
  ar rcs "$ts_out/libtree-sitter-javascript.a" "$ts_out"/*.o
fi
# The peers of the differential tests (tests/e2e): Express 4 and 5 under
# Node.js, exactly as tests/e2e/deps*/package-lock.json pin them.
for d in tests/e2e/deps4 tests/e2e/deps5; do
  [ -d "$d/node_modules/express" ] || (say "npm ci in $d"; cd "$d" && npm ci --no-audit --no-fund --silent >/dev/null) ||
    say "could not install $d (needed by make e2e only)"
done
touch "$deps/.ready"
