#!/usr/bin/env bash
# `npm run test:slurm`: the committed job script examples/slurm/sweep.sbatch, submitted unchanged to a real one-node
# Slurm cluster brought up on this machine, must give what an unsharded local run gives.
#
# 1. A one-node cluster from Debian's packages (slurm-wlm, munge): munged, slurmctld and slurmd on this machine, as
#    root, with a generated slurm.conf and everything (key, sockets, state, logs, job outputs) under one temporary
#    folder; free ports, so another cluster on the machine is not disturbed.
# 2. `sbatch --wait examples/slurm/sweep.sbatch examples/slurm/rho.json RESULTS` (in `timeout`: a job that cannot run
#    makes `sbatch --wait` wait forever); every array task's output must report its shard done.
# 3. `imrm merge` of the shards must equal `imrm sweep` of the whole sweep on this machine, field for field except the
#    timing `ms`.
# The cluster is torn down on exit, also on failure or interruption: remaining jobs cancelled, then slurmd, slurmctld
# and munged stopped by the pids in their own pid files, then the folder removed.
#
# The node is declared with as many CPUs as the whole array asks for (array size × --cpus-per-task, whatever this
# machine has: `SlurmdParameters=config_overrides`), so all tasks run at once, as on a cluster with enough nodes.
# Plugins that work in a VM without systemd or cgroup freezer (proctrack/cgroup would fail every job and drain the
# node): proctrack/linuxproc, task/none, no accounting.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRIPT="$ROOT/examples/slurm/sweep.sbatch"
SWEEP="$ROOT/examples/slurm/rho.json"
JOB_TIMEOUT=${IMRM_SLURM_JOB_TIMEOUT:-600}

say() { printf '[test:slurm %5.1fs] %s\n' "$(( $(date +%s%N) / 1000000 - START_MS ))e-3" "$*"; }
START_MS=$(( $(date +%s%N) / 1000000 ))
die() { echo "test:slurm: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (slurmd runs jobs as their user and must be root; munged's key and socket folders are root's)"
for cmd in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo sdiag; do
  command -v "$cmd" >/dev/null || die "$cmd missing: apt-get install -y slurm-wlm munge (Debian)"
done
[ -f "$ROOT/dist/cli/main.js" ] || (cd "$ROOT" && npm run build)

TMP=$(mktemp -d /tmp/imrm-slurm.XXXXXX)
chmod 755 "$TMP"
export SLURM_CONF="$TMP/slurm.conf"

pid_of() { [ -s "$1" ] && cat "$1" || true; }
# alive = exists and is not a zombie (stopped daemons linger as zombies for a few seconds here)
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
stop() {
  local name=$1 pid
  pid=$(pid_of "$2")
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || return 0; sleep 0.1; done
  echo "test:slurm: $name (pid $pid) ignored SIGTERM for 5 s; SIGKILL" >&2
  kill -9 "$pid" 2>/dev/null || true
}
teardown() {
  local rc=$?
  set +e
  # jobs first: their slurmstepd processes would outlive slurmd
  if alive "$(pid_of "$TMP/slurmctld.pid")"; then
    scancel --partition=test 2>/dev/null
    for _ in $(seq 50); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  stop slurmd "$TMP/slurmd.pid"
  stop slurmctld "$TMP/slurmctld.pid"
  stop munged "$TMP/munge/munged.pid"
  if [ "$rc" != 0 ]; then
    for log in "$TMP"/slurmctld.log "$TMP"/slurmd.log "$TMP"/job/slurm-*.out; do
      [ -f "$log" ] && { echo "---- $(basename "$log") (last 30 lines)"; tail -n 30 "$log"; } >&2
    done
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

# Two free TCP ports on 127.0.0.1, for slurmctld and slurmd.
read -r CTLD_PORT SLURMD_PORT < <(node -e '
  const net = require("node:net");
  const grab = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => ok(s)); });
  Promise.all([grab(), grab()]).then((ss) => { console.log(ss.map((s) => s.address().port).join(" ")); ss.forEach((s) => s.close()); });')

# ---- munge: key directory 700, key 600, socket directory 755 (700 makes the socket inaccessible to clients)
mkdir -p "$TMP/munge/key" "$TMP/munge/socket"
chmod 700 "$TMP/munge/key"
chmod 755 "$TMP/munge/socket"
mungekey --create --keyfile="$TMP/munge/key/munge.key"
chmod 600 "$TMP/munge/key/munge.key"
SOCKET="$TMP/munge/socket/munge.socket"
munged --key-file="$TMP/munge/key/munge.key" --socket="$SOCKET" --pid-file="$TMP/munge/munged.pid" \
  --log-file="$TMP/munge/munged.log" --seed-file="$TMP/munge/munged.seed" --origin=127.0.0.1

# ---- slurm.conf: this host as controller and only node
HOST=$(hostname -s)
PER_TASK=$(sed -n 's/^#SBATCH --cpus-per-task=\([0-9]*\).*/\1/p' "$SCRIPT")
LAST_TASK=$(sed -n 's/^#SBATCH --array=0-\([0-9]*\).*/\1/p' "$SCRIPT")
[ -n "$PER_TASK" ] && [ -n "$LAST_TASK" ] || die "no #SBATCH --cpus-per-task=N or --array=0-M line in $SCRIPT"
CPUS=$(( PER_TASK * (LAST_TASK + 1) ))
MEMORY=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
mkdir -p "$TMP/state" "$TMP/spool" "$TMP/job" "$TMP/bin"
cat > "$SLURM_CONF" <<EOF
ClusterName=imrmtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
SlurmdParameters=config_overrides
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -i
slurmd
say "daemons started (slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT); waiting for the node and the first scheduling cycle"
# the node idle, and a first main-scheduler cycle done (before it, a fresh slurmctld schedules nothing for ~3 s)
for _ in $(seq 300); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  cycles=$(sdiag 2>/dev/null | awk '/^Main schedule statistics/ {m = 1} m && /Total cycles:/ {print $3; exit}')
  [ "$state" = idle ] && [ "${cycles:-0}" -gt 0 ] && break
  sleep 0.1
done
[ "$state" = idle ] || die "the node is '$state', not idle, after 30 s"
say "cluster up: node $HOST idle, $CPUS CPUs declared"

# ---- the job: the committed script, unchanged; `imrm` on the PATH it inherits
printf '#!/bin/sh\nexec node "%s/dist/cli/main.js" "$@"\n' "$ROOT" > "$TMP/bin/imrm"
chmod 755 "$TMP/bin/imrm"
export PATH="$TMP/bin:$PATH"
RESULTS="$TMP/results"
cd "$TMP/job"
submit_out=$(timeout "$JOB_TIMEOUT" sbatch --parsable --wait "$SCRIPT" "$SWEEP" "$RESULTS") || die "sbatch --wait failed or timed out after ${JOB_TIMEOUT} s (rc $?): $submit_out"
JOB_ID=${submit_out%%;*}
say "job array $JOB_ID finished"

# every task's own output, not only sbatch's return code
for i in $(seq 0 "$LAST_TASK"); do
  out="$TMP/job/slurm-${JOB_ID}_$i.out"
  [ -f "$out" ] || die "no output of array task $i ($out)"
  grep -q 'run(s) done' "$out" || die "array task $i did not finish its shard: $(cat "$out")"
  [ -f "$RESULTS/shard-$i.jsonl" ] || die "array task $i wrote no shard-$i.jsonl"
done

imrm merge "$RESULTS"/shard-*.jsonl --out "$RESULTS/merged.jsonl" >/dev/null
imrm sweep "$SWEEP" --out "$TMP/local.jsonl" --progress none 2>/dev/null
node -e '
  const fs = require("node:fs");
  const read = (f) => fs.readFileSync(f, "utf8").trim().split("\n").map((l) => { const { ms, ...rest } = JSON.parse(l); return rest; });
  const merged = read(process.argv[1]);
  const local = read(process.argv[2]).sort((a, b) => a.index - b.index);
  const a = JSON.stringify(merged), b = JSON.stringify(local);
  if (merged.length === 0 || a !== b) { console.error(`test:slurm: the merged shards (${merged.length} runs) differ from the local run (${local.length} runs)`); process.exit(1); }
  console.log(`${merged.length} runs from ${process.argv[3]} shards equal the unsharded local run (every field but ms)`);
' "$RESULTS/merged.jsonl" "$TMP/local.jsonl" "$((LAST_TASK + 1))"
say "ok"
