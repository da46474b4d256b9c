#!/usr/bin/env bash
# Puts Debian's static busybox into the build context (this folder, git-ignored) and removes
# the demo's containers left from an earlier run. Nothing is pulled: the image is FROM scratch.
set -euo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
cd "$DEMO_DIR"

command -v docker >/dev/null || { echo "docker-basics: docker 가 없습니다" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "docker-basics: docker 데몬에 연결할 수 없습니다 (DOCKER_HOST=${DOCKER_HOST:-기본값})" >&2; exit 1; }

bash "$DEMO_DIR/reset.sh"
bb=$(bash "$DEMO_DIR/../_container/busybox.sh")
cmp -s "$bb" busybox || { cp "$bb" busybox.tmp && chmod 755 busybox.tmp && mv busybox.tmp busybox; }
echo "docker-basics: ready (build context $DEMO_DIR)"
