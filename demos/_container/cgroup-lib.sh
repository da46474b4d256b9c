# Shared cgroup helpers (sourced, bash). Works on cgroup v1 (one hierarchy per controller,
# e.g. /sys/fs/cgroup/memory) and v2 (one unified hierarchy, /sys/fs/cgroup).
#   cg_version          -> "1" if the memory controller lives in a v1 hierarchy, else "2"
#   cg_v1_dir CTRL      -> this process's cgroup directory in CTRL's v1 hierarchy
#   cg_v2_root          -> mount point of the unified (v2) hierarchy

cg_version() {
  if grep -qE '^[0-9]+:([^:]*,)?memory(,[^:]*)?:' /proc/self/cgroup; then echo 1; else echo 2; fi
}

# Mount point and mount root of the v1 hierarchy holding CTRL (from /proc/self/mountinfo).
_cg_v1_mount() {
  awk -v c="$1" '{
    for (i = 7; i <= NF; i++) if ($i == "-") break
    if ($(i+1) != "cgroup") next
    n = split($(i+3), o, ","); for (j = 1; j <= n; j++) if (o[j] == c) { print $5, $4; exit }
  }' /proc/self/mountinfo
}

cg_v1_dir() {
  local ctrl=$1 mnt root rel
  read -r mnt root < <(_cg_v1_mount "$ctrl") || true
  [ -n "$mnt" ] || return 1
  rel=$(awk -F: -v c="$ctrl" '{ n = split($2, o, ","); for (j = 1; j <= n; j++) if (o[j] == c) { print $3; exit } }' /proc/self/cgroup)
  [ "$root" != / ] && rel=${rel#"$root"}
  rel=${rel%/}
  echo "$mnt$rel"
}

cg_v2_root() {
  awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break; if ($(i+1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo
}
