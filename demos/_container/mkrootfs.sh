#!/usr/bin/env bash
# Build a tiny root filesystem from Debian's busybox-static: one static binary plus a
# relative symlink per applet in /bin. Usage: mkrootfs.sh DIR
# Idempotent: a finished DIR (etc/passwd is written last) is left alone.
set -euo pipefail
dir=${1:?usage: mkrootfs.sh DIR}

is_static() { [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1; }

find_busybox() {
  local b
  for b in /bin/busybox /usr/bin/busybox; do is_static "$b" && { echo "$b"; return 0; }; done
  return 1
}

[ -x "$dir/bin/busybox" ] && [ -s "$dir/etc/passwd" ] && exit 0

if ! bb=$(find_busybox); then
  # Debian's busybox-static (it replaces the dynamically linked busybox package).
  echo "mkrootfs: installing busybox-static" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq busybox-static >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq busybox-static >/dev/null; }
  bb=$(find_busybox) || { echo "mkrootfs: no static busybox (apt-get install busybox-static)" >&2; exit 1; }
fi

rm -rf "$dir"
mkdir -p "$dir"/{bin,dev,etc,proc,sys,tmp,root,oldroot}
chmod 1777 "$dir/tmp"
cp "$bb" "$dir/bin/busybox"
for applet in $("$dir/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
echo 'root:x:0:' > "$dir/etc/group"
echo 'root:x:0:0:root:/root:/bin/sh' > "$dir/etc/passwd"
