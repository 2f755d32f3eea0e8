#!/usr/bin/env bash
# Brings a checkout to a buildable state: system packages the compiler needs
# at run time (clang, libuv headers), the npm dependencies, and the compiled
# TypeScript in dist/. Idempotent and quick when everything is already there;
# used by `make hello`, `make test` and CI alike.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# ---- tools we expect the machine to have already ----------------------------
for tool in node npm gcc make; do
  command -v "$tool" >/dev/null 2>&1 || die "\`$tool\` is not installed (needed: Node 20+, npm, gcc, make)"
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node $(node --version) is too old; Colang needs Node 20 or newer"

# ---- system packages ---------------------------------------------------------
# clang: the second C compiler the test suite uses, and the one with the
# sanitizer runtimes for `--sanitize`. libuv1-dev: the event loop the C
# runtime links against.
APT_INSTALL="apt-get update && apt-get install -y --no-install-recommends"

as_root() {
  # $1: space-separated package list
  local cmd="DEBIAN_FRONTEND=noninteractive $APT_INSTALL $1"
  if [ "$(id -u)" -eq 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing packages ($1) and no apt-get to install them with"
    say "installing: $1"
    env DEBIAN_FRONTEND=noninteractive bash -c "$APT_INSTALL $1" >/dev/null \
      || die "apt-get failed; run it by hand to see why: $cmd"
  else
    printf 'setup: missing system packages: %s\n' "$1" >&2
    printf 'setup: run this as root, then run setup again:\n\n    sudo sh -c "%s"\n\n' "$APT_INSTALL $1" >&2
    exit 1
  fi
}

missing=""
command -v clang >/dev/null 2>&1 || missing="$missing clang"
[ -f /usr/include/uv.h ] || missing="$missing libuv1-dev"
if [ -n "$missing" ]; then as_root "${missing# }"; fi

if ! command -v valgrind >/dev/null 2>&1; then
  say "note: valgrind not found (make test-programs-valgrind installs it when it runs)"
fi

# `coc build --sanitize` uses clang's AddressSanitizer/UBSan runtimes. Debian's
# clang package normally pulls them in; some images ship clang without them.
asan_links() {
  local tmp
  tmp=$(mktemp -d)
  printf 'int main(void) { return 0; }\n' > "$tmp/t.c"
  if clang -fsanitize=address,undefined -o "$tmp/t" "$tmp/t.c" >/dev/null 2>&1; then rm -rf "$tmp"; return 0; fi
  rm -rf "$tmp"; return 1
}
if ! asan_links; then
  clang_major=$(clang -dumpversion | cut -d. -f1)
  as_root "libclang-rt-${clang_major}-dev"
  asan_links || die "clang -fsanitize=address still does not link after installing libclang-rt-${clang_major}-dev"
fi

# ---- npm dependencies --------------------------------------------------------
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# ---- build -------------------------------------------------------------------
say "npm run build"
npm run --silent build
