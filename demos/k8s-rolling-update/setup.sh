#!/usr/bin/env bash
# pay v1 (3 replicas) Ready in $DEMO_NAMESPACE, no traffic pod left, and the manifests the steps
# apply (pay-v2.yaml, pay-v3.yaml, traffic.yaml) rendered here for the current cluster.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../_k8s/lib.sh"
bash "$K8S_DIR/deploy.sh"
render_into "$here" pay-v2.yaml pay-v3.yaml traffic.yaml
