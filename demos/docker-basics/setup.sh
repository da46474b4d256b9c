#!/usr/bin/env bash
# Assembles the build context of the pay service's image in pay-image/ (git-ignored): a busybox
# root filesystem (the same one the container-from-scratch demo runs) with the service's scripts
# from ../_k8s/image/app in /app. The Dockerfile is the Kubernetes demos' own, ../_k8s/image/Dockerfile.
# Nothing is pulled: the image is FROM scratch. Also removes containers left from an earlier run.
set -euo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
cd "$DEMO_DIR"

command -v docker >/dev/null || { echo "docker-basics: docker 가 없습니다" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "docker-basics: docker 데몬에 연결할 수 없습니다 (DOCKER_HOST=${DOCKER_HOST:-기본값})" >&2; exit 1; }

bash "$DEMO_DIR/reset.sh"
bash "$DEMO_DIR/../_container/mkrootfs.sh" pay-image/rootfs
rm -rf pay-image/rootfs/app && mkdir pay-image/rootfs/app
cp "$DEMO_DIR"/../_k8s/image/app/* pay-image/rootfs/app/ && chmod 755 pay-image/rootfs/app/*
echo "docker-basics: ready (build context $DEMO_DIR/pay-image)"
