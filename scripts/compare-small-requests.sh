#!/usr/bin/env bash
# Compares the small-request throughput of two builds of the transport benchmark, in one
# sitting: each build's child runs both clients in one process (ours and bare reqwest,
# alternating round by round), the two builds take turns, and the ratio of every round
# (bare reqwest's time / ours) is pooled per build; the builds alternate which goes first.
# Medians of a few hundred rounds move by about 2% between sittings on a shared 2-core
# machine; whole runs move by 15%.
#
# Usage: scripts/compare-small-requests.sh BENCH_A BENCH_B [REQUESTS CONCURRENCY ROUNDS TURNS]
#   BENCH_A, BENCH_B: transport benchmark binaries (target/release/deps/transport-*),
#   built with `cargo bench --no-run --bench transport` from the two revisions. The
#   loopback sink is BENCH_B's, or BENCH_A's (`__sink`, in builds from 2026-12-07 on).
# Defaults: 1000 requests at concurrency 32, 11 rounds per turn, 20 turns.
set -euo pipefail
a=${1:?first benchmark binary}
b=${2:?second benchmark binary}
requests=${3:-1000}
concurrency=${4:-32}
rounds=${5:-11}
turns=${6:-20}
work=$(mktemp -d)
sink=
trap 'if [ -n "$sink" ]; then kill "$sink" 2>/dev/null; fi; rm -rf "$work"' EXIT
for bench in "$b" "$a"; do
  "$bench" __sink > "$work/origin" 2>/dev/null &
  sink=$!
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$work/origin" ] && break; sleep 0.2; done
  [ -s "$work/origin" ] && break
done
[ -s "$work/origin" ] || { echo "neither build serves __sink" >&2; exit 1; }
origin=$(cat "$work/origin")
turn() { "$1" __child small-ab "$origin" "$requests" "$concurrency" "$rounds" | awk '{ print $2 / $1 }' >> "$work/$2"; }
# The build that goes first in a turn does about 2% better, whichever it is: the order
# alternates, A B then B A.
for i in $(seq "$turns"); do
  if [ $((i % 2)) = 1 ]; then turn "$a" a; turn "$b" b; else turn "$b" b; turn "$a" a; fi
done
for side in a b; do
  sort -n "$work/$side" | awk -v side="$side" '{ r[NR] = $1 } END {
    printf "%s: %d rounds, throughput vs bare reqwest: median %.3fx (quartiles %.3fx to %.3fx)\n",
      side, NR, r[int((NR + 1) / 2)], r[int(NR / 4) + 1], r[int(3 * NR / 4)] }'
done
