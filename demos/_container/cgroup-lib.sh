# Shared cgroup helpers (sourced, bash). Works on cgroup v1 (one hierarchy per controller,
# e.g. /sys/fs/cgroup/memory) and v2 (one unified hierarchy, /sys/fs/cgroup).
#   cg_version          -> "1" if the memory controller lives in a v1 hierarchy, else "2"
#   cg_v1_dir CTRL      -> this process's cgroup directory in CTRL's v1 hierarchy
#   cg_v2_root          -> mount point of the unified (v2) hierarchy
# CG_PROC_CGROUP and CG_MOUNTINFO (default /proc/self/...) exist so the v2 code path can be
# exercised against a fake hierarchy on a v1 machine.
: "${CG_PROC_CGROUP:=/proc/self/cgroup}" "${CG_MOUNTINFO:=/proc/self/mountinfo}"

cg_version() {
  if grep -qE '^[0-9]+:([^:]*,)?memory(,[^:]*)?:' "$CG_PROC_CGROUP"; then echo 1; else echo 2; fi
}

# Mount point and mount root of the v1 hierarchy holding CTRL (from /proc/self/mountinfo).
_cg_v1_mount() {
  awk -v c="$1" '{
    for (i = 7; i <= NF; i++) if ($i == "-") break
    if ($(i+1) != "cgroup") next
    n = split($(i+3), o, ","); for (j = 1; j <= n; j++) if (o[j] == c) { print $5, $4; exit }
  }' "$CG_MOUNTINFO"
}

cg_v1_dir() {
  local ctrl=$1 mnt root rel
  read -r mnt root < <(_cg_v1_mount "$ctrl") || true
  [ -n "$mnt" ] || return 1
  rel=$(awk -F: -v c="$ctrl" '{ n = split($2, o, ","); for (j = 1; j <= n; j++) if (o[j] == c) { print $3; exit } }' "$CG_PROC_CGROUP")
  [ "$root" != / ] && rel=${rel#"$root"}
  rel=${rel%/}
  echo "$mnt$rel"
}

cg_v2_root() {
  awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break; if ($(i+1) == "cgroup2") { print $5; exit } }' "$CG_MOUNTINFO"
}

# cg_dirs NAME -> every directory called NAME in any cgroup hierarchy (v1 and v2), for reset.
cg_dirs() {
  local mnt
  for mnt in $(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break
                      if ($(i+1) == "cgroup" || $(i+1) == "cgroup2") print $5 }' "$CG_MOUNTINFO"); do
    find "$mnt" -maxdepth 8 -type d -name "$1" -prune -print 2>/dev/null
  done | sort -u
}
