#!/usr/bin/env bash
# Deletes this demo's namespace ($DEMO_NAMESPACE, k8s-basics-demo-<demo>) if the demos created it,
# waits until it is gone, and removes the manifests setup.sh rendered here. Safe to run twice.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../_k8s/reset.sh" "$here"
