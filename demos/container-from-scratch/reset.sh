#!/usr/bin/env bash
# Removes everything the demo made: processes left in its chroot or namespaces (a namespace
# lives as long as a process in it), mounts under the work dir, the cgroups, the work dir.
# Safe to run twice, and after a half-finished run.
set -uo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
W=/var/tmp/k8s-basics-talk/scratch
ID=container-from-scratch
CG_NAME=k8s-basics-talk

# 1. Processes the steps started inside the chroot or the new namespaces (they carry the demo's
#    DEMO_ID in their environment; the host's own processes share our pid namespace and root).
host_pidns=$(readlink /proc/self/ns/pid)
victims=()
for d in /proc/[0-9]*; do
  pid=${d#/proc/}
  [ "$pid" = "$$" ] && continue
  tr '\0' '\n' 2>/dev/null < "$d/environ" | grep -qx "DEMO_ID=$ID" || continue
  root=$(readlink "$d/root" 2>/dev/null) || continue
  pidns=$(readlink "$d/ns/pid" 2>/dev/null) || continue
  if [ "$pidns" != "$host_pidns" ] || [ "$root" != / ]; then victims+=("$pid"); fi
done
if [ ${#victims[@]} -gt 0 ]; then
  echo "reset: killing ${victims[*]}"
  kill -KILL "${victims[@]}" 2>/dev/null
  for _ in $(seq 30); do
    alive=0; for p in "${victims[@]}"; do [ -d "/proc/$p" ] && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
fi

# 2. Mounts under the work dir in the host's mount namespace (the chroot step's /proc),
#    innermost first, lazily so a busy one can't block us.
for _ in 1 2 3; do
  mounts=$(findmnt -rn -o TARGET | grep -E "^$W(/|$)" | sort -r)
  [ -z "$mounts" ] && break
  while read -r m; do umount -l "$m" 2>/dev/null; done <<<"$mounts"
done

# 3. The demo's cgroups, in every hierarchy (v1: memory and cpu; v2: the unified one).
#    A process still inside (the demo shell, if it is still alive) moves to the parent first.
cg_mounts=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
                   if ($(i+1) == "cgroup" || $(i+1) == "cgroup2") print $5 }' /proc/self/mountinfo)
for mnt in $cg_mounts; do
  find "$mnt" -maxdepth 8 -type d -name "$CG_NAME" -prune -print 2>/dev/null
done | sort -u | while read -r cg; do
  for _ in $(seq 30); do
    while read -r p; do
      [ -n "$p" ] && echo "$p" 2>/dev/null > "$(dirname "$cg")/cgroup.procs"
    done < "$cg/cgroup.procs"
    rmdir "$cg" 2>/dev/null && { echo "reset: removed cgroup $cg"; break; }
    sleep 0.1
  done
  [ -d "$cg" ] && echo "reset: could not remove cgroup $cg" >&2
done

# 4. The work dir, but never through a mount that is still there.
if findmnt -rn -o TARGET | grep -qE "^$W(/|$)"; then
  echo "reset: $W still has mounts, leaving it" >&2; exit 1
fi
rm -rf "$W"
rmdir /var/tmp/k8s-basics-talk 2>/dev/null
exit 0
