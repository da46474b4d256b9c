#!/usr/bin/env bash
# Builds the demo-host image: the machine the root demos (namespaces, cgroups, mounts) run in
# when they run in a privileged container instead of on the presenter's host (DEMO_HOST,
# server/demo-host/). FROM scratch, nothing pulled: Debian's busybox-static for the small tools,
# and the host's own copies of the programs named on the command line (bash, util-linux's
# unshare/nsenter/mount, procps' ps, ...) with every shared library `ldd` names.
#
#   build.sh IMAGE PROGRAM...   prints IMAGE once it is built and current; logs go to stderr
#
# Rebuilt only when its sources change: the label live-terminal.demo-host.src holds a hash of
# this script, the program list and every file copied in.
set -euo pipefail
image=${1:?usage: build.sh IMAGE PROGRAM...}
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LABEL=live-terminal.demo-host.src
log() { printf '[demo-host] %s\n' "$*" >&2; }
die() { printf '[demo-host] error: %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || die "docker is not on PATH"
command -v ldd >/dev/null || die "ldd is not on PATH (Debian: libc-bin)"
bb=$(bash "$here/../_container/busybox.sh")

# Every file the image takes from the host: the programs, their libraries (and the loader), what
# bash needs to draw its line editor (terminfo) and to speak UTF-8 (the C.UTF-8 locale).
files=("$bb")
for p in "$@"; do
  f=$(command -v "$p") || die "$p is not on PATH (the demos that run in the demo host use it)"
  f=$(readlink -f "$f")
  files+=("$f")
  # Each library under the name ldd prints (the name the loader opens; often a link on the host).
  while read -r lib; do files+=("$lib"); done < <(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true)
done
for t in /lib/terminfo/x/xterm-256color /usr/share/terminfo/x/xterm-256color; do
  [ -f "$t" ] && { files+=("$t"); break; }
done
[ -d /usr/lib/locale/C.utf8 ] && while read -r f; do files+=("$f"); done < <(find /usr/lib/locale/C.utf8 -type f | sort)
mapfile -t files < <(printf '%s\n' "${files[@]}" | sort -u)

src=$({ cat "${BASH_SOURCE[0]}"; printf '%s\n' "$@" "${files[@]}"; cat "${files[@]}"; } | sha256sum | cut -c1-16)
have=$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$image" 2>/dev/null || true)
if [ "$have" = "$src" ]; then
  echo "$image"
  exit 0
fi

log "building $image ($src)"
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
r=$ctx/rootfs
# The merged-/usr layout of Debian 12, so that every path ldd prints lands where it points.
mkdir -p "$r"/usr/{bin,sbin,lib,lib64} "$r"/{etc,proc,sys,dev,tmp,root,var/tmp,run}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$r/$d"; done
chmod 1777 "$r/tmp" "$r/var/tmp"
for f in "${files[@]}"; do
  mkdir -p "$r$(dirname "$f")"
  cp -L "$f" "$r$f"
done
for p in "$@"; do  # each program under the name the demos call it by, if that is not its real name
  f=$(command -v "$p")
  [ -e "$r$f" ] || cp -L "$f" "$r$f"
done
cp "$bb" "$r/usr/bin/busybox"
for a in $("$bb" --list); do  # busybox for everything the host did not give
  [ -e "$r/usr/bin/$a" ] || [ -e "$r/usr/sbin/$a" ] || ln -s busybox "$r/usr/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/bash' > "$r/etc/passwd"
echo 'root:x:0:' > "$r/etc/group"
cat > "$r/etc/os-release" <<'EOF'
PRETTY_NAME="demo host (busybox and util-linux from the presenter's Debian)"
NAME="demo host"
ID=demo-host
EOF
cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
CMD ["/bin/sh"]
EOF
out=$(docker build -q -t "$image" --label "$LABEL=$src" "$ctx" 2>&1) || { echo "$out" >&2; die "docker build of $image failed"; }
# The build before this one, now untagged: ours only (by the label).
docker image prune -f --filter "label=$LABEL" >/dev/null 2>&1 || true
log "built $image"
echo "$image"
