#!/usr/bin/env bash
# Link benchmark (root): client and reference platform in a private network namespace over
# loopback shaped to 256 kbit/s (tc tbf), 300 ms RTT and 2% loss (NFQUEUE + jxjy-netem, since
# this kernel has no netem). Measures, for a unit of $STAFF staff x 10 declarations:
#   1. the first pull without evidence: time against the floor (wire payload / bandwidth) and
#      bytes against the uncompressed JSON;
#   2. a sync with nothing changed: bytes and requests;
#   3. a push of 1000 decisions: bytes per decision and requests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${JXJY_BENCH_INSIDE:-}" != 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "bench-link: run as root (it makes a network namespace)" >&2; exit 1; }
  command -v iptables-legacy >/dev/null || { apt-get update -q && apt-get install -y -q iptables; }
  command -v keyctl >/dev/null || apt-get install -y -q keyutils
  cargo build --release --locked -p jxjy-cli -p jxjy-platform -p jxjy-linklab
  exec unshare -n env JXJY_BENCH_INSIDE=1 "$0" "$@"
fi

STAFF=${STAFF:-3000}
PORT=8787
RATE_BPS=256000
BIN=target/release
work=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ip link set lo up
# A real link's packets: without this, loopback's 64 KiB MTU exceeds the shaper's burst.
ip link set lo mtu 1500
tc qdisc add dev lo root tbf rate 256kbit burst 4kb latency 400ms
iptables-legacy -A INPUT -i lo -p tcp --sport $PORT      # counts server -> client
iptables-legacy -A INPUT -i lo -p tcp --dport $PORT      # counts client -> server
iptables-legacy -A INPUT -i lo -j NFQUEUE --queue-num 0 --queue-bypass
$BIN/jxjy-netem --delay-ms 150 --loss 0.02 --seed 1 2> "$work/netem.log" &

$BIN/jxjy-platform seed --db "$work/p.db" --staff-per-unit "$STAFF" > "$work/seed.txt"
user=$(awk '/^  [^ ]+ \/ /{print $1; exit}' "$work/seed.txt")
pass=$(awk '/^  [^ ]+ \/ /{print $3; exit}' "$work/seed.txt")
$BIN/jxjy-platform serve --db "$work/p.db" --addr 127.0.0.1:$PORT --rate-limit 0 2> "$work/serve.log" &
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

counters() {  # prints: down_bytes down_packets up_bytes up_packets
  iptables-legacy -L INPUT -v -x -n | awk 'NR==3{db=$2; dp=$1} NR==4{ub=$2; up=$1} END{print db, dp, ub, up}'
}

export JXJY_HOME="$work/home" JXJY_KEYRING=keyutils JXJY_BIN=$BIN/jxjy JXJY_USER=$user JXJY_PASS=$pass JXJY_WORK=$work
export JXJY_RATE_BPS=$RATE_BPS
# The profile's unlock secret: chosen at the login (its second stdin line), then given to every
# other command with --unlock-stdin. Argon2id runs once per command, off the link.
export JXJY_SECRET=24681357
cat > "$work/ids.py" <<'PY'
import json, sys
for v in json.load(sys.stdin)[:1000]:
    print(v["declaration"]["id"])
PY
export -f counters
keyctl session - bash -c '
set -euo pipefail
printf "%s\n%s\n" "$JXJY_PASS" "$JXJY_SECRET" | $JXJY_BIN login --server http://127.0.0.1:8787 --user "$JXJY_USER" --password-stdin 2>/dev/null
j() { echo "$JXJY_SECRET" | $JXJY_BIN --unlock-stdin "$@"; }

iptables-legacy -Z INPUT
t0=$(date +%s.%N)
j sync --no-evidence --json --max-attempts 0 > $JXJY_WORK/first.json 2>/dev/null
t1=$(date +%s.%N)
read db dp ub up < <(counters)
python3 - "$t0" "$t1" "$db" "$dp" "$ub" "$up" "$JXJY_RATE_BPS" $JXJY_WORK/first.json <<PY
import json, sys
t0, t1, db, dp, ub, up, rate = map(float, sys.argv[1:8])
r = json.load(open(sys.argv[8]))
decls, staff, json_bytes = r["declarations_received"], r["staff_received"], r["bytes_down"]
requests, retries = r["requests"], r["retries"]
down_payload = db - 52 * dp
payload = down_payload + (ub - 52 * up)
floor = payload * 8 / rate
took = t1 - t0
print(f"first pull: {decls} declarations, {staff} staff in {took:.1f} s; floor {floor:.1f} s "
      f"(wire payload {payload/1024:.0f} KiB at 256 kbit/s) -> {took/floor:.2f}x the floor (goal <= 1.3x)")
print(f"  bytes: {json_bytes/1024:.0f} KiB of JSON arrived as {down_payload/1024:.0f} KiB on the wire -> "
      f"{json_bytes/down_payload:.1f}x fewer (goal >= 3x); {requests} requests, {retries} retries")
PY

iptables-legacy -Z INPUT
j sync --no-evidence --json > $JXJY_WORK/again.json 2>/dev/null
read db dp ub up < <(counters)
python3 - "$db" "$ub" $JXJY_WORK/again.json <<PY
import json, sys
db, ub = map(float, sys.argv[1:3])
r = json.load(open(sys.argv[3]))
requests = r["requests"]
print(f"no-change sync: {(db+ub)/1024:.1f} KiB on the wire, {requests} requests (goal <= 2 KB and 1 request)")
PY

j queue --status pending_unit_review --json 2>/dev/null \
  | python3 $JXJY_WORK/ids.py > $JXJY_WORK/ids.txt
while read -r id; do j decide "$id" return --reason "证明材料不清晰，请重新上传" 2>/dev/null < /dev/null; done < $JXJY_WORK/ids.txt
n=$(wc -l < $JXJY_WORK/ids.txt)
iptables-legacy -Z INPUT
t0=$(date +%s.%N)
j sync --no-evidence --json --max-attempts 0 > $JXJY_WORK/push.json 2>/dev/null
t1=$(date +%s.%N)
read db dp ub up < <(counters)
python3 - "$db" "$ub" "$n" "$t0" "$t1" $JXJY_WORK/push.json <<PY
import json, sys
db, ub, n, t0, t1 = map(float, sys.argv[1:6])
r = json.load(open(sys.argv[6]))
applied, push_requests, requests = r["applied"], r["push_requests"], r["requests"]
print(f"push of {int(n)} decisions: {applied} applied in {t1-t0:.1f} s; {(db+ub)/n:.0f} bytes per decision on the wire "
      f"(whole sync, goal <= 1 KB); {push_requests} push requests (goal <= 5), {requests} requests in all")
PY
'
grep -h "passed" "$work/netem.log" | tail -1 || true
