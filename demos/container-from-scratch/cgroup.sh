# Sourced by the demo's shell (`. $DEMO_DIR/cgroup.sh`): finds where this machine keeps
# cgroups, makes the demo's cgroup there and sets variables so the next steps read the same
# on cgroup v1 and v2:
#   MEM, CPU          the cgroup directories for the memory and cpu controllers (same on v2)
#   MEM_LIMIT         memory.limit_in_bytes (v1) | memory.max (v2)
#   CPU_QUOTA         cpu.cfs_quota_us (v1)      | cpu.max (v2)   (both accept "20000" = 20ms/100ms)
#   OOM_EVENTS        memory.oom_control (v1)    | memory.events (v2)  (both count "oom_kill")
. "$DEMO_DIR/../_container/cgroup-lib.sh"
CG_NAME=k8s-basics-talk
if [ "$(cg_version)" = 1 ]; then
  MEM=$(cg_v1_dir memory)/$CG_NAME CPU=$(cg_v1_dir cpu)/$CG_NAME
  MEM_LIMIT=memory.limit_in_bytes CPU_QUOTA=cpu.cfs_quota_us OOM_EVENTS=memory.oom_control
  echo "cgroup v1: 컨트롤러(memory, cpu)마다 계층이 따로 있습니다"
  mkdir -p "$MEM" "$CPU" && echo "+ mkdir $MEM" && echo "+ mkdir $CPU"
  echo 0 2>/dev/null > "$MEM/memory.swappiness"   # no swap: over the limit means OOM
else
  CG_ROOT=$(cg_v2_root)
  MEM=$CG_ROOT/$CG_NAME CPU=$CG_ROOT/$CG_NAME
  MEM_LIMIT=memory.max CPU_QUOTA=cpu.max OOM_EVENTS=memory.events
  echo "cgroup v2: 하나의 계층에 memory, cpu 가 함께 있습니다"
  echo +memory +cpu 2>/dev/null > "$CG_ROOT/cgroup.subtree_control"
  mkdir -p "$MEM" && echo "+ mkdir $MEM"
  echo 0 2>/dev/null > "$MEM/memory.swap.max"   # no swap: over the limit means OOM
fi
echo "MEM_LIMIT=$MEM_LIMIT  CPU_QUOTA=$CPU_QUOTA  OOM_EVENTS=$OOM_EVENTS"
true
