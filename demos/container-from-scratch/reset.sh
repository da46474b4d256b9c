#!/usr/bin/env bash
# Removes everything the demo made: processes left in its chroot or namespaces (a namespace
# lives as long as a process in it), mounts under the work dir, the cgroups, the work dir.
# Safe to run twice, and after a half-finished run.
set -uo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
W=/var/tmp/k8s-basics-talk/scratch
ID=container-from-scratch
CG_NAME=k8s-basics-talk

. "$DEMO_DIR/../_container/cleanup-lib.sh"
. "$DEMO_DIR/../_container/cgroup-lib.sh"

# 1. Processes the steps left in the chroot or the new namespaces; with them go the namespaces.
kill_demo_procs "$ID"

# 2. Mounts under the work dir in the host's mount namespace (the chroot step's /proc).
umount_under "$W"

# 3. The demo's cgroups, in every hierarchy (v1: memory and cpu; v2: the unified one).
#    A process still inside (the demo shell, if it is still alive) moves to the parent first.
cg_dirs "$CG_NAME" | while read -r cg; do
  for _ in $(seq 30); do
    while read -r p; do
      [ -n "$p" ] && echo "$p" 2>/dev/null > "$(dirname "$cg")/cgroup.procs"
    done < "$cg/cgroup.procs"
    rmdir "$cg" 2>/dev/null && { echo "reset: removed cgroup $cg"; break; }
    sleep 0.1
  done
  [ -d "$cg" ] && echo "reset: could not remove cgroup $cg" >&2
done

# 4. The work dir (never through a mount that is still there).
remove_workdir "$W" || exit 1
exit 0
