#!/usr/bin/env bash
# reset.sh [DEMO_DIR]: removes what the Kubernetes demos made: the namespace $DEMO_NAMESPACE, if the demos created it
# (it carries the label k8s-basics.demo/owned=true), and waits until it is gone; in a namespace
# they did not create, only the objects labelled app.kubernetes.io/part-of=k8s-basics.
# Safe to run twice, and when there is no cluster at all. Images are kept (cheap to keep,
# slow to rebuild); `docker rmi` them by hand if you like: docker images 'k8s-basics/*'.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v kubectl >/dev/null || ! kubectl version --request-timeout=5s >/dev/null 2>&1; then
  log "no cluster answers; nothing to reset"; exit 0
fi
case $(ns_phase) in
  "") log "namespace $NS does not exist; nothing to reset" ;;
  *)
    if ns_owned; then
      log "deleting namespace $NS"
      kubectl delete namespace "$NS" --ignore-not-found --wait=false >/dev/null
      wait_namespace_gone 180
    else
      log "namespace $NS was not created by the demos: deleting only their objects in it"
      delete_demo_objects
    fi ;;
esac
# The manifests a demo's setup rendered next to its demo.yaml (listed in its .gitignore).
dir=${1:-${DEMO_DIR:-}}
if [ -n "$dir" ] && [ -f "$dir/.gitignore" ]; then
  (cd "$dir" && grep -v -e '^#' -e '^$' .gitignore | while read -r f; do rm -f -- "./$f"; done)
fi
log "reset done"
