#!/usr/bin/env bash
# Prints the path of a statically linked busybox (Debian's busybox-static), installing the
# package with apt-get when it is missing. Usage: path=$(bash busybox.sh)
set -euo pipefail
is_static() { [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1; }
find_busybox() {
  local b
  for b in /bin/busybox /usr/bin/busybox; do is_static "$b" && { echo "$b"; return 0; }; done
  return 1
}
find_busybox && exit 0
echo "busybox.sh: installing busybox-static" >&2
export DEBIAN_FRONTEND=noninteractive
command -v apt-get >/dev/null || { echo "busybox.sh: no static busybox and no apt-get (install busybox-static)" >&2; exit 1; }
apt-get install -y -qq busybox-static >/dev/null 2>&1 ||
  { apt-get update -qq >/dev/null && apt-get install -y -qq busybox-static >/dev/null; }
find_busybox || { echo "busybox.sh: no static busybox (apt-get install busybox-static)" >&2; exit 1; }
