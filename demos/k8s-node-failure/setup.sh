#!/usr/bin/env bash
# The last node by name ($NODE in the steps) Ready and schedulable (a run that stopped half-way
# is repaired), the pay Service and pay v1 spread over the nodes with short tolerations
# (pay-spread.yaml), no traffic pod left, and traffic.yaml rendered here to run on another node
# than $NODE (the counter must outlive the failure it counts).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../_k8s/lib.sh"
cluster_ok
node=$(kubectl get nodes -o jsonpath='{.items[-1:].metadata.name}')
bash "$here/node.sh" restore "$node"
detect_cluster
bash "$K8S_DIR/images.sh" >/dev/null
ensure_namespace
kc delete pod traffic --ignore-not-found --wait=false >/dev/null
render "$K8S_DIR/manifests/pay-spread.yaml" | kc apply -f - >/dev/null
wait_deployments pay
settle_pods 90
# ScheduleAnyway is a preference: if the pods still share one node, start them again.
for attempt in 1 2 3; do
  spread=$(kc get pods -l app=pay -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u | wc -l)
  [ "$spread" -ge 2 ] && break
  log "pay pods all on one node; restarting them (attempt $attempt)"
  kc rollout restart deployment/pay >/dev/null
  wait_deployments pay
  settle_pods 90
done
survivor=$(kubectl get nodes -o jsonpath='{.items[0].metadata.name}')
render "$K8S_DIR/manifests/traffic.yaml" |
  sed "s#^spec:#spec:\n  nodeName: $survivor   \# 멈추지 않을 노드에서 셉니다#" >"$here/traffic.yaml"
log "ready: pay on $spread nodes, the node to stop is $node, traffic runs on $survivor"
