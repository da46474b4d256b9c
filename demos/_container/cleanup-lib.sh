# Shared cleanup helpers for reset.sh scripts (sourced, bash).

# kill_demo_procs ID: SIGKILL the processes a demo's steps left inside a chroot or in new
# namespaces (the namespace holders: unshare, the shell or sleep it started, a shell entered
# with nsenter). They carry the demo's DEMO_ID in their environment; the presenter's shell
# shares our namespaces and root directory and is left alone. A namespace ends with its last
# process, and with a mount namespace go its mounts, with a network namespace its links.
kill_demo_procs() {
  local id=$1 d pid root ns own victims=() alive
  local types=(pid mnt net uts ipc)
  own=$(cd /proc/self/ns && readlink "${types[@]}" | tr '\n' ' ')
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = "$$" ] && continue
    tr '\0' '\n' 2>/dev/null < "$d/environ" | grep -qx "DEMO_ID=$id" || continue
    root=$(readlink "$d/root" 2>/dev/null) || continue
    ns=$(cd "$d/ns" 2>/dev/null && readlink "${types[@]}" | tr '\n' ' ') || continue
    # in a chroot, or holding a namespace of its own (unshare itself keeps the new mnt/net/...)
    if [ "$root" != / ] || [ "$ns" != "$own" ]; then victims+=("$pid"); fi
  done
  [ ${#victims[@]} -eq 0 ] && return 0
  echo "reset: killing ${victims[*]}"
  kill -KILL "${victims[@]}" 2>/dev/null
  for _ in $(seq 30); do
    alive=0
    for pid in "${victims[@]}"; do [ -d "/proc/$pid" ] && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.1
  done
}

# umount_under DIR: lazily unmount everything mounted at or below DIR in our mount namespace,
# innermost first. Fails if something is still mounted there afterwards.
umount_under() {
  local dir=$1 mounts
  for _ in 1 2 3; do
    mounts=$(findmnt -rn -o TARGET | grep -E "^$dir(/|$)" | sort -r)
    [ -z "$mounts" ] && return 0
    while read -r m; do umount -l "$m" 2>/dev/null; done <<<"$mounts"
  done
  ! findmnt -rn -o TARGET | grep -qE "^$dir(/|$)"
}

# remove_workdir DIR: rm -rf DIR, but never through a mount; then the shared parent if empty.
remove_workdir() {
  local dir=$1
  umount_under "$dir" || { echo "reset: $dir still has mounts, leaving it" >&2; return 1; }
  rm -rf "$dir"
  rmdir "$(dirname "$dir")" 2>/dev/null
  return 0
}
