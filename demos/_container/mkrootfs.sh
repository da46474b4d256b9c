#!/usr/bin/env bash
# Build a tiny root filesystem from Debian's busybox-static: one static binary plus a
# relative symlink per applet in /bin. Usage: mkrootfs.sh DIR
# Idempotent: a finished DIR (etc/passwd is written last) is left alone.
set -euo pipefail
dir=${1:?usage: mkrootfs.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)

[ -x "$dir/bin/busybox" ] && [ -s "$dir/etc/passwd" ] && exit 0
bb=$(bash "$here/busybox.sh")

rm -rf "$dir"
mkdir -p "$dir"/{bin,dev,etc,proc,sys,tmp,root,oldroot}
chmod 1777 "$dir/tmp"
cp "$bb" "$dir/bin/busybox"
for applet in $("$dir/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
echo 'root:x:0:' > "$dir/etc/group"
echo 'root:x:0:0:root:/root:/bin/sh' > "$dir/etc/passwd"
