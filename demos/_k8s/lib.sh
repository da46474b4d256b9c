# Shared helpers for the Kubernetes demos; sourced by images.sh, deploy.sh, reset.sh.
# Everything here works only in the namespace $DEMO_NAMESPACE of the current kubectl context (the
# demo's own, k8s-basics-demo-<demo>, set by the deck; k8s-basics-demo when run by hand), and
# never touches anything outside it.

K8S_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS=${DEMO_NAMESPACE:-k8s-basics-demo}
PART_OF=app.kubernetes.io/part-of=k8s-basics   # label on every object the demos create
OWNER_LABEL=k8s-basics.demo/owned=true          # label on the namespace when the demos created it

log() { printf '[k8s-demo] %s\n' "$*" >&2; }
die() { printf '[k8s-demo] error: %s\n' "$*" >&2; exit 1; }
need() { for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "'$c' is not on PATH"; done; }

kc() { kubectl --namespace "$NS" "$@"; }

cluster_ok() {
  need kubectl
  kubectl version --request-timeout=10s >/dev/null 2>&1 ||
    die "no Kubernetes cluster answers for the current context ($(kubectl config current-context 2>/dev/null || echo none)); start one or set KUBECONFIG"
}

# How images reach the cluster, decided from the current context (see README.md):
#   local     the cluster's container runtime is the local Docker engine: nothing to do
#             (docker-desktop, orbstack, rancher-desktop with dockerd, minikube after
#             `eval $(minikube docker-env)`, the k8s-testbed, any single node on docker://)
#   kind      `kind load docker-image`     (context kind-NAME)
#   minikube  `minikube image load`        (context or node "minikube", or a node labelled
#                                           minikube.k8s.io/name)
#   k3d       `k3d image import`           (context k3d-NAME)
#   registry  `docker push` to $DEMO_REGISTRY, manifests use that prefix (EKS, GKE, NKS, ...)
# DEMO_CLUSTER=local|kind|minikube|k3d|registry overrides the guess.
# Sets CLUSTER_KIND and CLUSTER_NAME (kind/k3d cluster name, minikube profile).
detect_cluster() {
  [ -n "${CLUSTER_KIND:-}" ] && return 0
  local ctx ready nodes runtime mk
  ctx=$(kubectl config current-context 2>/dev/null || true)
  CLUSTER_NAME=$ctx
  if [ -n "${DEMO_CLUSTER:-}" ]; then
    CLUSTER_KIND=$DEMO_CLUSTER
    case $CLUSTER_KIND in
      kind) CLUSTER_NAME=${ctx#kind-} ;;
      k3d) CLUSTER_NAME=${ctx#k3d-} ;;
      local|minikube|registry) ;;
      *) die "DEMO_CLUSTER=$DEMO_CLUSTER: use local, kind, minikube, k3d or registry" ;;
    esac
  elif [ -n "${DEMO_REGISTRY:-}" ]; then
    CLUSTER_KIND=registry
  else
    # Only Ready nodes take pods: a node left NotReady (deleted machine, stopped kubelet) is not
    # where the images must go, and must not turn a one-node cluster into "cannot tell".
    ready=$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{" "}{.status.nodeInfo.containerRuntimeVersion}{" "}{.metadata.labels.minikube\.k8s\.io/name}{"\n"}{end}' 2>/dev/null | awk '$2 == "True"' || true)
    nodes=$(awk '{print $1}' <<<"$ready")
    runtime=$(awk 'NR == 1 {print $3}' <<<"$ready")
    mk=$(awk 'NR == 1 {print $4}' <<<"$ready")
    case $ctx in
      kind-*) CLUSTER_KIND=kind; CLUSTER_NAME=${ctx#kind-} ;;
      k3d-*) CLUSTER_KIND=k3d; CLUSTER_NAME=${ctx#k3d-} ;;
      docker-desktop|docker-for-desktop|orbstack|rancher-desktop) CLUSTER_KIND=local ;;
      *)
        if [ -n "$mk" ] || [ "$ctx" = minikube ] || grep -qx minikube <<<"$nodes"; then
          CLUSTER_KIND=minikube; CLUSTER_NAME=${mk:-$ctx}
          # `eval $(minikube docker-env)` points docker at minikube's own engine: images built there are already in.
          [ "${MINIKUBE_ACTIVE_DOCKERD:-}" = "$CLUSTER_NAME" ] && CLUSTER_KIND=local
        elif [[ $runtime == docker://* ]] && [ "$(wc -l <<<"$nodes")" = 1 ]; then
          CLUSTER_KIND=local   # one node whose kubelet runs on Docker: assume it is this Docker engine
        else
          die "cannot tell how to get images into the cluster of context '$ctx' (Ready nodes: $(echo $nodes), runtime: ${runtime:-?}).
  For a remote cluster set DEMO_REGISTRY to a registry it pulls from (docker must be logged in);
  otherwise set DEMO_CLUSTER=local|kind|minikube|k3d."
        fi ;;
    esac
  fi
  export CLUSTER_KIND CLUSTER_NAME
}

# The image name the cluster uses: k8s-basics/pay:v1, or REGISTRY/k8s-basics/pay:v1 for a remote cluster.
image_ref() {
  detect_cluster
  if [ "$CLUSTER_KIND" = registry ]; then
    [ -n "${DEMO_REGISTRY:-}" ] || die "DEMO_CLUSTER=registry needs DEMO_REGISTRY"
    echo "${DEMO_REGISTRY%/}/$1"
  else
    echo "$1"
  fi
}

# pinned REF: the registry's digest of a pushed image, REGISTRY/k8s-basics/pay@sha256:..., so a
# node never runs a stale image cached under the same tag.
pinned() {
  local repo=${1%:*} digest
  digest=$(docker image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$1" 2>/dev/null | grep -m1 "^$repo@" || true)
  [ -n "$digest" ] || die "$1 has not been pushed to its registry yet (run $K8S_DIR/images.sh)"
  echo "$digest"
}

# render SRC: a manifest from manifests/ as the cluster needs it, on stdout. For local clusters
# it is the file as written (images k8s-basics/..., imagePullPolicy: Never: never pulled); for a
# registry, each image is the one images.sh pushed, pinned by digest, pulled once per node.
render() {
  detect_cluster
  if [ "$CLUSTER_KIND" = registry ]; then
    local reg=${DEMO_REGISTRY%/} script="" img
    for img in $(sed -n 's#^ *image: \(k8s-basics/[^ ]*\).*#\1#p' "$1" | sort -u); do
      script+="s#image: $img\$#image: $(pinned "$reg/$img")   \# $img#;"
    done
    sed -e "$script" -e "s#imagePullPolicy: Never.*#imagePullPolicy: IfNotPresent   \# 다이제스트로 고정: 노드가 한 번 받음#" "$1"
  else
    cat "$1"
  fi
}

# render_into DIR NAME...: write rendered manifests next to a demo's demo.yaml (git-ignored there).
render_into() {
  local dir=$1 f; shift
  for f in "$@"; do
    render "$K8S_DIR/manifests/$f" >"$dir/$f.tmp" && mv "$dir/$f.tmp" "$dir/$f"
  done
}

# lock_images / unlock_images: one images.sh at a time on this machine. Demos prepared side by
# side (`npm run rehearse -- --jobs N`, prepare-ahead of neighbouring slides) would otherwise build,
# tag, push and prune the same images at once. A directory, as mkdir is atomic everywhere (macOS
# has no flock); a lock whose holder is gone (killed with its session) is taken over.
IMAGES_LOCK=${TMPDIR:-/tmp}/k8s-basics-images.lock
lock_images() {
  local i holder
  for i in $(seq 1 1200); do
    if mkdir "$IMAGES_LOCK" 2>/dev/null; then
      echo $$ >"$IMAGES_LOCK/pid"
      return 0
    fi
    holder=$(cat "$IMAGES_LOCK/pid" 2>/dev/null || true)
    if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
      log "taking over the images lock of pid $holder (gone)"
      [ "$(cat "$IMAGES_LOCK/pid" 2>/dev/null)" = "$holder" ] && rm -rf "$IMAGES_LOCK"
      continue
    fi
    [ "$i" = 1 ] && log "another images.sh (pid ${holder:-?}) is preparing the images; waiting"
    sleep 0.5
  done
  die "the images lock $IMAGES_LOCK is still held after 10 minutes (pid ${holder:-?}); remove it if no images.sh runs"
}
unlock_images() { [ "$(cat "$IMAGES_LOCK/pid" 2>/dev/null)" = $$ ] && rm -rf "$IMAGES_LOCK"; return 0; }

ns_phase() { kubectl get namespace "$NS" -o jsonpath='{.status.phase}' 2>/dev/null || true; }

wait_namespace_gone() {
  local i
  for i in $(seq 1 "${1:-180}"); do
    [ -z "$(ns_phase)" ] && return 0
    # Our pods stop within their grace period (10 s, preStop included). Some kubelets (the
    # k8s-testbed's 1.20) take a minute more to drop the pod objects of stopped containers, and
    # the namespace waits for them: past 15 s, their containers are stopped, and what is left
    # of the pods goes from the API (a node that was down holds its pods' objects until then).
    if [ "$i" -eq 15 ]; then
      kc delete pods --all --force --grace-period=0 --wait=false >/dev/null 2>&1 || true
    fi
    sleep 1
  done
  die "namespace $NS is still being deleted after ${1:-180}s (kubectl get all -n $NS)"
}

# The namespace must exist and be Active. One the demos create gets the owner label, so that
# reset may delete it; an existing namespace without the label is used but never deleted.
ensure_namespace() {
  case $(ns_phase) in
    Active) return 0 ;;
    Terminating) log "namespace $NS is being deleted; waiting"; wait_namespace_gone ;;
  esac
  log "creating namespace $NS"
  kubectl create namespace "$NS" >/dev/null
  kubectl label namespace "$NS" "$OWNER_LABEL" "$PART_OF" >/dev/null
}

ns_owned() { [ "$(kubectl get namespace "$NS" -o jsonpath='{.metadata.labels.k8s-basics\.demo/owned}' 2>/dev/null)" = true ]; }

# Names of our pods being deleted (Terminating).
terminating_pods() {
  kc get pods -l "$PART_OF" -o jsonpath='{range .items[?(@.metadata.deletionTimestamp)]}{.metadata.name}{"\n"}{end}' 2>/dev/null || true
}

# settle_pods [SECONDS]: wait until no pod of ours is Terminating. Our pods stop within their
# grace period (10 s, preStop included); some kubelets (the k8s-testbed's 1.20) take a minute more
# to drop the objects of stopped pods: past 30 s, remove those leftovers from the API.
settle_pods() {
  local i left
  for i in $(seq 1 "${1:-90}"); do
    left=$(terminating_pods)
    [ -z "$left" ] && return 0
    if [ "$i" -eq 30 ]; then
      # shellcheck disable=SC2086
      kc delete pod $left --force --grace-period=0 --wait=false >/dev/null 2>&1 || true
    fi
    sleep 1
  done
}

# Delete what the demos made in the namespace (objects labelled part-of=k8s-basics), wait for pods.
delete_demo_objects() {
  [ "$(ns_phase)" = Active ] || return 0
  kc delete deployment,service,pod,horizontalpodautoscaler -l "$PART_OF" --ignore-not-found --wait=false >/dev/null
  # `kubectl autoscale` does not copy labels: the HPA is named after the deployment.
  kc delete horizontalpodautoscaler pay --ignore-not-found --wait=false >/dev/null
  kc wait --for=delete pod -l "$PART_OF" --timeout=15s >/dev/null 2>&1 || true
  settle_pods 90
}

# wait_deployments NAME...: wait until each is rolled out; on failure show why (image, probe).
wait_deployments() {
  local d
  for d in "$@"; do
    if ! kc rollout status "deployment/$d" --timeout="${ROLLOUT_TIMEOUT:-120s}" >/dev/null; then
      kc get pods -l "app=$d" -o wide >&2 || true
      kc get events --sort-by=.lastTimestamp 2>/dev/null | tail -n 8 >&2 || true
      die "deployment $d did not become ready in namespace $NS (see above: ErrImageNeverPull or ImagePullBackOff means the images did not reach the cluster; run $K8S_DIR/images.sh)"
    fi
  done
}
