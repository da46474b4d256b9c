#!/usr/bin/env bash
# The starting point of the self-healing, scaling, rolling-update and autoscaling demos:
# images ready, namespace $DEMO_NAMESPACE, upload/auth/pay v1 (pay: $PAY_REPLICAS replicas, 3 by
# default) all Ready, and nothing left over from an earlier run (traffic/load pods, the HPA, scaled
# or updated pay, pods with restarts). Idempotent and quick when everything is already in place
# (`npm run prepare-demos` runs it before the talk; the deck's run on the way to the slide then
# changes nothing).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cluster_ok
detect_cluster
rebuilt=$(bash "$K8S_DIR/images.sh")
ensure_namespace

# Leftovers of other demos.
kc delete pod traffic load --ignore-not-found --wait=false >/dev/null
kc delete horizontalpodautoscaler pay --ignore-not-found >/dev/null

# apply puts back what the manifest says: v1 images, the pay replicas. Those are set in the
# manifest, not scaled after: a second run then applies no change and starts or stops no pod.
render "$K8S_DIR/manifests/app.yaml" |
  awk -v n="${PAY_REPLICAS:-3}" '/^---/ { dep = pay = 0 } /^kind: Deployment/ { dep = 1 }
    dep && /^  name: pay$/ { pay = 1 } pay && /^  replicas:/ { $0 = "  replicas: " n } { print }' |
  kc apply -f - >/dev/null
wait_deployments upload auth pay

# Fresh pods, so restart counts start at 0 (the self-healing demo counts restarts), and pods
# running an older build of their image (images.sh rebuilt it under the same tag) are replaced:
# those images.sh rebuilt just now, and on a cluster that runs on this Docker engine (where
# image IDs compare) those whose image is not the local one. Docker names a pod's image by its
# ID (docker://sha256:ID) or, once the image was pushed, by a registry digest
# (docker-pullable://REPO@sha256:DIGEST): either of the local image counts as the same.
pods=$(kc get pods -l "$PART_OF" -o jsonpath='{range .items[*]}{.metadata.labels.app} {.status.containerStatuses[0].restartCount} {.spec.containers[0].image} {.status.containerStatuses[0].imageID}{"\n"}{end}')
restarted=$(
  while read -r app count image image_id; do
    [ -n "$app" ] || continue
    if [ "${count:-0}" -gt 0 ]; then echo "$app"; continue; fi
    # (Through a registry the image is pinned by digest: a rebuild changes the template itself.)
    if grep -qxF "$image" <<<"$rebuilt"; then echo "$app"; continue; fi
    if [ "$CLUSTER_KIND" = local ] && [[ $image_id == *sha256:* ]]; then
      local_ids=$(docker image inspect -f '{{.Id}}{{range .RepoDigests}} {{.}}{{end}}' "$image" 2>/dev/null || true)
      same=
      for id in $local_ids; do [[ $image_id == *"${id#*@}"* ]] && same=1; done
      if [ -n "$local_ids" ] && [ -z "$same" ]; then echo "$app"; fi
    fi
  done <<<"$pods" | sort -u || true)
if [ -n "$restarted" ]; then
  for d in $restarted; do
    case $d in upload|auth|pay) kc rollout restart "deployment/$d" >/dev/null ;; esac
  done
  wait_deployments upload auth pay
fi
# Pods of earlier runs (replaced, scaled down, traffic, load) may still be terminating.
settle_pods 90
log "namespace $NS: upload, auth, pay v1 ready"
