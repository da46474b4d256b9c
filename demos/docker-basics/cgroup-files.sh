# Sourced by the demo's shell (`. ./cgroup-files.sh`): which files, under the container's
# /sys/fs/cgroup, hold the limits docker wrote for --memory and --cpus.
#   cgroup v1: one directory per controller -> memory/memory.limit_in_bytes, cpu/cpu.cfs_quota_us
#   cgroup v2: one directory                 -> memory.max, cpu.max ("quota period")
CG_VERSION=$(docker info -f '{{.CgroupVersion}}' 2>/dev/null)
case "$CG_VERSION" in
  1|2) ;;
  *) if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then CG_VERSION=2; else CG_VERSION=1; fi ;;
esac
if [ "$CG_VERSION" = 2 ]; then
  MEM_LIMIT=memory.max CPU_QUOTA=cpu.max
else
  MEM_LIMIT=memory/memory.limit_in_bytes CPU_QUOTA=cpu/cpu.cfs_quota_us
fi
echo "cgroup v$CG_VERSION: MEM_LIMIT=$MEM_LIMIT  CPU_QUOTA=$CPU_QUOTA"
