#!/usr/bin/env bash
# Brings the stopped or drained node back (kubelet started, Ready, uncordoned), then deletes the
# demo namespace like every Kubernetes demo's reset. Safe to run twice, and without a cluster.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../_k8s/lib.sh"
if command -v kubectl >/dev/null && kubectl version --request-timeout=5s >/dev/null 2>&1; then
  nodes=$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
  [ "$(wc -l <<<"$nodes")" -ge 2 ] && bash "$here/node.sh" restore "$(tail -n1 <<<"$nodes")"
fi
exec bash "$K8S_DIR/reset.sh" "$here"
