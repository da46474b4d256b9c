#!/usr/bin/env bash
# Prepares the demo's files under /var/tmp/k8s-basics-talk/scratch (always the same result):
#   base/    image layer 1: a busybox-static root filesystem (bin/, etc/, a few /dev nodes)
#   app/     image layer 2: /app, the pay service's scripts (../_k8s/image/app, the same files
#            the docker-basics demo builds into k8s-basics/pay:v1 and the Kubernetes demos run)
#   upper/   the container's writable layer (empty), work/ overlayfs scratch, merged/ mount point
# Nothing is mounted here: the steps mount inside their own mount namespace.
set -euo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
W=/var/tmp/k8s-basics-talk/scratch

[ "$(id -u)" = 0 ] || { echo "container-from-scratch: root 권한이 필요합니다 (sudo 로 실행)" >&2; exit 1; }
for c in unshare chroot pivot_root mount umount; do
  command -v "$c" >/dev/null || { echo "container-from-scratch: $c 가 없습니다 (util-linux / coreutils)" >&2; exit 1; }
done
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
grep -qw overlay /proc/filesystems || { echo "container-from-scratch: 커널에 overlayfs 가 없습니다" >&2; exit 1; }

# Start from a clean slate: whatever a previous (maybe half-finished) run left behind.
bash "$DEMO_DIR/reset.sh"

mkdir -p "$W"
bash "$DEMO_DIR/../_container/mkrootfs.sh" "$W/base"
for n in null:3 zero:5 random:8 urandom:9; do
  [ -c "$W/base/dev/${n%:*}" ] || mknod -m 666 "$W/base/dev/${n%:*}" c 1 "${n#*:}"
done
mkdir -p "$W/app/app" "$W/upper" "$W/work" "$W/merged"
cp "$DEMO_DIR"/../_k8s/image/app/* "$W/app/app/" && chmod 755 "$W/app/app/"*
echo "container-from-scratch: ready in $W"
