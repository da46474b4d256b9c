#!/usr/bin/env bash
# Removes what the demo made: the background "container" (its sleep, the unshare waiting for
# it, a shell entered with nsenter) and the work dir. Safe to run twice and after a half run.
set -uo pipefail
DEMO_DIR=${DEMO_DIR:-$(cd "$(dirname "$0")" && pwd)}
W=/var/tmp/k8s-basics-talk/same-kernel
. "$DEMO_DIR/../_container/cleanup-lib.sh"

kill_demo_procs same-kernel   # the sleep (PID 1 of its namespace) and anything nsenter'd in
remove_workdir "$W" || exit 1
exit 0
