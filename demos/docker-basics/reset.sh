#!/usr/bin/env bash
# Removes the container the demo made, by its exact name (never by a pattern: other containers
# on this docker share the k8s-basics prefix). The image pay:v1 stays (the demo's build uses
# --no-cache, so it is always really built). It is not the Kubernetes demos' k8s-basics/pay:v1:
# building that tag here would replace the image their prepared pods run.
# Safe to run twice.
set -uo pipefail
command -v docker >/dev/null || exit 0
for name in k8s-basics-pay; do
  if docker container inspect "$name" >/dev/null 2>&1; then
    docker rm -f "$name" >/dev/null && echo "reset: removed container $name"
  fi
done
exit 0
