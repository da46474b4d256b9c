#!/usr/bin/env bash
# Builds the demo images locally and makes them available to the cluster of the current context.
#
#   k8s-basics/upload:v1  k8s-basics/auth:v1  k8s-basics/pay:v1  k8s-basics/pay:v2
#   k8s-basics/pay:v3     (broken: its readiness probe never passes)
#   k8s-basics/toolbox:v1 (busybox + the traffic and load scripts)
#
# Each is `FROM scratch` + the host's static busybox (Debian: apt-get install busybox-static; or
# BUSYBOX=/path/to/static/busybox for the nodes' architecture) + image/app/*. Nothing is pulled.
# Idempotent: an image is rebuilt only when its sources changed (label k8s-basics.src), and
# loaded into kind/minikube/k3d only when rebuilt or missing there. How images reach each kind
# of cluster: see detect_cluster in lib.sh and README.md.
# Prints the images it (re)built on stdout, one a line (deploy.sh replaces their pods); logs
# go to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGES=(
  "upload v1"
  "auth v1"
  "pay v1"
  "pay v2"
  "pay v3 broken"
  "toolbox v1"
)

need docker
docker version >/dev/null 2>&1 || die "docker does not answer (is the engine running? DOCKER_HOST=${DOCKER_HOST:-unset})"

find_busybox() {
  local bb=${BUSYBOX:-}
  if [ -z "$bb" ]; then
    for c in /bin/busybox /usr/bin/busybox "$(command -v busybox 2>/dev/null || true)"; do
      [ -n "$c" ] && [ -x "$c" ] && { bb=$c; break; }
    done
  fi
  [ -n "$bb" ] && [ -x "$bb" ] || die "no busybox found: apt-get install busybox-static (or set BUSYBOX=/path/to/static/busybox)"
  if command -v ldd >/dev/null && ldd "$bb" >/dev/null 2>&1; then
    die "$bb is dynamically linked; a FROM scratch image needs a static one: apt-get install busybox-static (or set BUSYBOX)"
  fi
  echo "$bb"
}

# ELF machine of a binary: amd64, arm64, ... (as Kubernetes names node architectures)
elf_arch() {
  case $(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n') in
    3e00) echo amd64 ;; b700) echo arm64 ;; 2800) echo arm ;; 0300) echo 386 ;;
    1500) echo ppc64le ;; 1600) echo s390x ;; f300) echo riscv64 ;; *) echo unknown ;;
  esac
}

BB=$(find_busybox)
detect_cluster
log "cluster: ${CLUSTER_KIND}${CLUSTER_NAME:+ ($CLUSTER_NAME)}"

node_arch=$(kubectl get nodes -o jsonpath='{.items[0].status.nodeInfo.architecture}' 2>/dev/null || true)
bb_arch=$(elf_arch "$BB")
if [ -n "$node_arch" ] && [ "$node_arch" != "$bb_arch" ]; then
  die "$BB is $bb_arch but the cluster's nodes are $node_arch: set BUSYBOX to a static busybox for $node_arch"
fi

lock_images
# The build context, shared by all images: rootfs/bin (busybox and its applet links), rootfs/app.
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"; unlock_images' EXIT
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/app" "$ctx/rootfs/tmp" "$ctx/rootfs/www"
cp "$BB" "$ctx/rootfs/bin/busybox"
for a in $("$BB" --list); do [ "$a" = busybox ] || ln -s busybox "$ctx/rootfs/bin/$a"; done
cp "$K8S_DIR"/image/app/* "$ctx/rootfs/app/"
chmod 755 "$ctx/rootfs/app/"* && chmod 1777 "$ctx/rootfs/tmp"
cp "$K8S_DIR/image/Dockerfile" "$ctx/Dockerfile"
src_hash=$(cat "$BB" "$K8S_DIR/image/Dockerfile" "$K8S_DIR"/image/app/* | sha256sum | cut -c1-16)

loaded_in_cluster() {  # image: does the cluster already have it? (kind checks by itself)
  case $CLUSTER_KIND in
    minikube) minikube -p "$CLUSTER_NAME" image ls 2>/dev/null | grep -qx "docker.io/$1" ;;
    k3d) docker exec "k3d-$CLUSTER_NAME-server-0" crictl inspecti "docker.io/$1" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

for spec in "${IMAGES[@]}"; do
  read -r svc ver broken <<<"$spec"
  img=k8s-basics/$svc:$ver
  want="$src_hash-$svc-$ver-${broken:-ok}"
  have=$(docker image inspect -f '{{index .Config.Labels "k8s-basics.src"}}' "$img" 2>/dev/null || true)
  built=
  if [ "$have" = "$want" ]; then
    log "$img: up to date"
  else
    log "$img: building"
    built=1
    out=$(docker build -q -t "$img" --label "k8s-basics.src=$want" \
      --build-arg "SERVICE=$svc" --build-arg "VERSION=$ver" --build-arg "BROKEN=${broken:+1}" \
      "$ctx" 2>&1) || { echo "$out" >&2; die "docker build of $img failed"; }
    echo "$img"
  fi

  case $CLUSTER_KIND in
    local) ;;
    kind)
      need kind
      kind load docker-image "$img" --name "$CLUSTER_NAME" >&2 ;;
    minikube)
      need minikube
      [ -z "$built" ] && loaded_in_cluster "$img" || { log "$img: minikube image load"; minikube -p "$CLUSTER_NAME" image load "$img" >&2; } ;;
    k3d)
      need k3d
      [ -z "$built" ] && loaded_in_cluster "$img" || { log "$img: k3d image import"; k3d image import "$img" -c "$CLUSTER_NAME" >&2; } ;;
    registry)
      ref=$(image_ref "$img")
      log "$img: pushing $ref"
      docker tag "$img" "$ref"
      docker push -q "$ref" >/dev/null || die "docker push $ref failed (docker login to ${DEMO_REGISTRY%%/*}?)" ;;
  esac
done
# A rebuild leaves the previous build of a tag dangling: remove ours (only images with our label).
docker image prune -f --filter label=k8s-basics.src >/dev/null 2>&1 || true
log "images ready for the $CLUSTER_KIND cluster"
