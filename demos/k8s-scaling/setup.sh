#!/usr/bin/env bash
# upload, auth and pay v1 (3 replicas, no restarts) running and Ready in $DEMO_NAMESPACE.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../_k8s/deploy.sh"
