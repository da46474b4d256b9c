#!/usr/bin/env bash
# Autoscaling needs the Metrics API (metrics-server): stop here, clearly, when it is missing.
# Then pay v1 with 1 replica (the HPA scales it up under load), any pods scaled away
# gone (else step 1's kubectl top lists three pay pods while the notes say one), its CPU metrics
# already reported, and load.yaml rendered here for the current cluster.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../_k8s/lib.sh"
cluster_ok
if ! kubectl get --raw /apis/metrics.k8s.io/v1beta1 >/dev/null 2>&1; then
  die "this cluster has no Metrics API (metrics-server), which autoscaling needs.
  minikube: minikube addons enable metrics-server
  k3d: ships it unless the cluster was created with --disable=metrics-server
  kind, docker-desktop, others: kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml
    (kind and docker-desktop also need the container arg --kubelet-insecure-tls)
  EKS/GKE/NKS: GKE has it; EKS/NKS: install it as their docs say
  Then check: kubectl top nodes"
fi
# One pay pod to start from (the HPA then adds them), in the manifest: see deploy.sh.
PAY_REPLICAS=1 bash "$K8S_DIR/deploy.sh"
render_into "$here" load.yaml
# metrics-server reports a new pod only after a scrape or two (15-60 s): wait, so step 1 shows numbers.
for i in $(seq 1 90); do
  if kc top pods -l app=pay --no-headers 2>/dev/null | grep -q 'm '; then
    log "metrics ready: $(kc top pods -l app=pay --no-headers | head -1)"; exit 0
  fi
  sleep 2
done
die "metrics-server has reported no CPU use for the pay pods in 180s: is it healthy? (kubectl -n kube-system logs deploy/metrics-server)"
