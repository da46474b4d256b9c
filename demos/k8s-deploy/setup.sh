#!/usr/bin/env bash
# Images ready in the cluster, namespace $DEMO_NAMESPACE empty of earlier demo objects (this demo
# deploys from scratch), and app.yaml rendered here for the current cluster (for a remote cluster
# its images carry the $DEMO_REGISTRY prefix).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../_k8s/lib.sh"
cluster_ok
bash "$K8S_DIR/images.sh"
ensure_namespace
delete_demo_objects
render_into "$here" app.yaml
log "ready: namespace $NS is empty, $here/app.yaml rendered"
