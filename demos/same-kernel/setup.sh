#!/usr/bin/env bash
# Builds the container's root filesystem (busybox-static) under /var/tmp/k8s-basics-talk/same-kernel.
set -euo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
W=/var/tmp/k8s-basics-talk/same-kernel

[ "$(id -u)" = 0 ] || { echo "same-kernel: root 권한이 필요합니다 (sudo 로 실행)" >&2; exit 1; }
for c in unshare nsenter pgrep ps; do
  command -v "$c" >/dev/null || { echo "same-kernel: $c 가 없습니다 (util-linux / procps)" >&2; exit 1; }
done
unshare --help | grep -q -- '--root' ||
  { echo "same-kernel: unshare 에 --root 옵션이 없습니다 (util-linux 2.36 이상 필요)" >&2; exit 1; }

# A previous run's sleep container, if any, goes first (reset is idempotent).
bash "$DEMO_DIR/reset.sh"
bash "$DEMO_DIR/../_container/mkrootfs.sh" "$W/rootfs"
echo "same-kernel: ready in $W"
