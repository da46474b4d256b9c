#!/usr/bin/env bash
# node.sh stop|restore NODE: the node failure of the k8s-node-failure demo, and its repair.
#   stop     stops NODE's kubelet: the node stops reporting, as a machine that lost power or its
#            network would. (Its containers keep running, as on a partitioned machine.)
#   restore  starts the kubelet again if it is stopped, waits until the node is Ready, uncordons it.
# How a kubelet is stopped depends on where the node runs:
#   k8s-testbed (node testbed-2)  kill $(cat /run/k8s-testbed/kubelet2.pid); KT_NODES=2 testbed up
#   kind (context kind-*)         docker exec NODE systemctl stop|start kubelet
#   minikube                      minikube ssh -n NODE -- sudo systemctl stop|start kubelet
# Anywhere else (EKS, GKE, your own servers) stop it on the machine yourself
# (ssh NODE sudo systemctl stop kubelet) or stop the machine; this script says so and fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../_k8s/lib.sh"
action=${1:-} node=${2:-}
[ -n "$node" ] && [[ $action =~ ^(stop|restore)$ ]] || die "usage: node.sh stop|restore NODE"

TESTBED_STATE=/run/k8s-testbed
TESTBED=${KT_TESTBED:-$here/../../../shared/k8s-testbed/testbed}
ctx=$(kubectl config current-context 2>/dev/null || true)

where() {
  if [ "$node" = testbed-2 ] && [ -f "$TESTBED_STATE/kubelet2.pid" ]; then echo testbed
  elif [[ $ctx == kind-* ]]; then echo kind
  elif [ "$ctx" = minikube ] || kubectl get node "$node" -o jsonpath='{.metadata.labels.minikube\.k8s\.io/name}' 2>/dev/null | grep -q .; then echo minikube
  else echo other
  fi
}

# Runs "$@" outside this demo's live-terminal session. The testbed's kubelet, started again here,
# belongs to the cluster, not to the demo, and must outlive it: the session's cleanup ends every
# process in its cgroup (live-terminal.<pid>/<demo> in each hierarchy it uses) and every process
# carrying its LIVE_TERMINAL_SESSION tag (SECURITY.md). A daemon an init system starts would never
# have joined either; this leaves both, to the group the deck's server runs in.
outside_session() {
  (
    while IFS=: read -r _ controllers group; do
      [[ $group =~ ^(.*)/live-terminal\.[0-9]+(/|$) ]] || continue
      if [ -z "$controllers" ]; then mnt=$(findmnt -rn -t cgroup2 -o TARGET | head -n1)
      else mnt=$(findmnt -rn -t cgroup -o TARGET,OPTIONS | awk -v c="$controllers" '$2 ~ "(^|,)" c "(,|$)" { print $1; exit }'); fi
      [ -n "$mnt" ] && echo "$BASHPID" >"$mnt${BASH_REMATCH[1]:-/}/cgroup.procs"
    done </proc/self/cgroup
    exec env -u LIVE_TERMINAL_SESSION setsid -w "$@"
  )
}

kubelet() {  # kubelet stop|start|running
  case $(where) in
    testbed)
      case $1 in
        stop) kill "$(cat "$TESTBED_STATE/kubelet2.pid")" ;;
        start) outside_session env KT_NODES=2 "$TESTBED" up >&2 ;;
        running) kill -0 "$(cat "$TESTBED_STATE/kubelet2.pid")" 2>/dev/null ;;
      esac ;;
    kind)
      case $1 in
        running) docker exec "$node" systemctl is-active -q kubelet ;;
        *) docker exec "$node" systemctl "$1" kubelet ;;
      esac ;;
    minikube)
      case $1 in
        running) minikube ssh -n "$node" -- systemctl is-active -q kubelet ;;
        *) minikube ssh -n "$node" -- sudo systemctl "$1" kubelet ;;
      esac ;;
    other)
      [ "$1" = running ] && return 0
      die "this script does not know how to $1 the kubelet of $node on context '$ctx': do it on the machine (ssh $node sudo systemctl $1 kubelet)" ;;
  esac
}

case $action in
  stop)
    kubelet stop
    echo "$node: kubelet stopped" ;;
  restore)
    if ! kubelet running; then
      log "starting the kubelet of $node"
      kubelet start
    fi
    kubectl wait --for=condition=Ready "node/$node" --timeout=120s >/dev/null ||
      die "node $node is not Ready after 120s (kubectl describe node $node)"
    if [ "$(kubectl get node "$node" -o jsonpath='{.spec.unschedulable}')" = true ]; then
      kubectl uncordon "$node" >/dev/null && log "uncordoned $node"
    fi ;;
esac
