#!/usr/bin/env bash
# Streaming benchmark for "hot path is lean": moves COUNT 16-byte messages
# push -> pull inside one process, over inproc and ipc, with
#   C      bench/core/c_stream.c: aio completion callbacks chaining the next operation
#   Swift  bench/core/SwiftStream: NNGCore's MessageSender / MessageReceiver
# Each is built in release, run RUNS times (C and Swift interleaved), and the
# medians (messages per second) and the Swift/C ratio are printed.
#
# usage: bench/core-stream.sh            (COUNT=1000000 RUNS=5 by default)
#        COUNT=200000 RUNS=3 bench/core-stream.sh
set -euo pipefail

COUNT=${COUNT:-1000000}
RUNS=${RUNS:-5}
RUN_LIMIT=${RUN_LIMIT:-120}   # seconds any single run may take

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
work=$(mktemp -d /tmp/core-stream.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "building C (cc -O2) and Swift (release)..." >&2
cc -O2 -Wall -o "$out/c_stream" "$root/bench/core/c_stream.c" -lnng -lpthread
swift build -c release --package-path "$root/bench/core/SwiftStream" \
    --scratch-path "$out/swift-stream-build" >"$work/swift-build.log" 2>&1 \
    || { cat "$work/swift-build.log" >&2; exit 1; }
swift_bin="$out/swift-stream-build/release/swift-stream"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# run NAME BINARY URL -> appends one rate to $work/NAME
run() {
    local name=$1 binary=$2 url=$3 rate
    if ! rate=$(timeout "$RUN_LIMIT" "$binary" "$url" "$COUNT"); then
        echo "$name failed or exceeded ${RUN_LIMIT}s" >&2
        exit 1
    fi
    echo "$rate" >>"$work/$name"
    printf '  %-14s %10s msg/s\n' "$name" "$rate" >&2
}

for transport in inproc ipc; do
    for round in $(seq 1 "$RUNS"); do
        echo "$transport round $round/$RUNS" >&2
        case $transport in
            inproc) c_url="inproc://core-stream-c-$round"; s_url="inproc://core-stream-swift-$round" ;;
            ipc) c_url="ipc://$work/c-$round.sock"; s_url="ipc://$work/swift-$round.sock" ;;
        esac
        run "c-$transport" "$out/c_stream" "$c_url"
        run "swift-$transport" "$swift_bin" "$s_url"
    done
done

echo
echo "core-stream: $COUNT messages of 16 bytes, push -> pull in one process, median of $RUNS runs"
printf '%-10s %14s %14s %10s\n' transport "C msg/s" "Swift msg/s" "Swift/C"
for transport in inproc ipc; do
    c=$(median <"$work/c-$transport")
    s=$(median <"$work/swift-$transport")
    ratio=$(awk -v s="$s" -v c="$c" 'BEGIN { printf "%.2f", s / c }')
    printf '%-10s %14s %14s %10s\n' "$transport" "$c" "$s" "$ratio"
done
