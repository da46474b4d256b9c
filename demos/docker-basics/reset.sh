#!/usr/bin/env bash
# Removes the containers the demo made, by their exact names (never by a pattern: other
# containers on this docker share the k8s-basics prefix). The built image k8s-basics/hello:v1
# stays, so the next build is quick. Safe to run twice.
set -uo pipefail
command -v docker >/dev/null || exit 0
for name in k8s-basics-hello; do
  if docker container inspect "$name" >/dev/null 2>&1; then
    docker rm -f "$name" >/dev/null && echo "reset: removed container $name"
  fi
done
exit 0
