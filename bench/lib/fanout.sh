# Fan-out (ONLY=fanout): one publisher, FANOUT messages of 64 B to 1, 4 and 16
# subscriber processes over ipc. Ours: `send --pub --listen --wait-peers K`
# (which keeps pace with the slowest subscriber; and with --lossy, which
# does not) into `listen --sub --dial --count`; the C nngcat: `--pub0 --data --count
# --interval 0 --delay 1` (it cannot wait for peers, so it sleeps 1 s first);
# the baseline: bench/baseline/stream.c's pub (waits for K pipes, then sends
# as fast as libnng takes them) into its sub. Pub/sub drops what a subscriber
# cannot take in time, so the row is what the slowest subscriber got, and the
# seconds from starting the publisher to the last subscriber's last message
# (the mtime of its output). Every process is bounded by FANOUT_TIMEOUT.
FANOUT=${FANOUT:-100000} FANOUT_SUBS=${FANOUT_SUBS:-1 4 16} FANOUT_TIMEOUT=${FANOUT_TIMEOUT:-60}

# $1 ours|lossy|cnngcat|c, $2 subscribers: prints "fewest-delivered seconds".
fanout_once() {
  port=$((port + 1)); local u; u=$(url ipc); local t0 i pids=() body lossy=()
  body=$(printf '%064d' 0)
  rm -f "$T"/fan.*
  case $1 in
    ours|lossy)
      [ "$1" = ours ] || lossy=(--lossy)
      for i in $(seq "$2"); do timeout "$FANOUT_TIMEOUT" "$OURS" listen --sub --dial "$u" --count "$FANOUT" --recv-timeout 3s 2> /dev/null > "$T/fan.$i" & pids+=($!); done
      t0=$(now); timeout "$FANOUT_TIMEOUT" "$OURS" send --pub --listen "$u" --wait-peers "$2" "${lossy[@]}" < "$T/in64" || echo "warning: fanout ours send failed" >&2 ;;
    cnngcat)
      t0=$(now)
      timeout "$FANOUT_TIMEOUT" "$CNNGCAT" --pub0 --listen "$u" --data "$body" --count "$FANOUT" --interval 0 --delay 1 & local ppid=$!
      sleep 0.1
      for i in $(seq "$2"); do timeout "$FANOUT_TIMEOUT" "$CNNGCAT" --sub0 --dial "$u" --subscribe '' --raw --recv-timeout 3 > "$T/fan.$i" & pids+=($!); done
      wait "$ppid" || echo "warning: fanout C nngcat pub failed" >&2 ;;
    c)
      for i in $(seq "$2"); do timeout "$FANOUT_TIMEOUT" "$T/stream" sub "$u" "$FANOUT" > "$T/fan.$i" & pids+=($!); done
      t0=$(now); timeout "$FANOUT_TIMEOUT" "$T/stream" pub "$u" "$2" < "$T/in64" || echo "warning: fanout stream pub failed" >&2 ;;
  esac
  for i in "${pids[@]}"; do wait "$i" || true; done
  local fewest=$FANOUT last=0 got
  for i in $(seq "$2"); do
    if [ "$1" = cnngcat ]; then got=$(( $(stat -c %s "$T/fan.$i") / 64 )); else got=$(wc -l < "$T/fan.$i"); fi
    [ "$got" -ge "$fewest" ] || fewest=$got
    [ "$got" -eq 0 ] || last=$(printf '%s\n%s\n' "$last" "$(stat -c %.9Y "$T/fan.$i")" | sort -g | tail -n 1)
  done
  echo "$fewest $(echo "$last - $t0" | bc -l)"
}

fanout_section() {
  repeat_line "$(printf '%064d' 0)" "$FANOUT" > "$T/in64"
  printf '\nFan-out, %s x 64 B over ipc: fewest delivered to one subscriber, and seconds to the last delivery\n' "$FANOUT"
  printf '%-44s %14s %14s %14s %14s\n' scenario ours "ours --lossy" "C nngcat" baseline
  local k
  for k in $FANOUT_SUBS; do
    local o l c b
    o=$(fanout_once ours "$k"); l=$(fanout_once lossy "$k"); c=$(fanout_once cnngcat "$k"); b=$(fanout_once c "$k")
    printf '%-44s %14s %14s %14s %14s\n' "fan-out to $k, fewest delivered" "${o% *}" "${l% *}" "${c% *}" "${b% *}"
    printf '%-44s %14.2f %14.2f %14.2f %14.2f\n' "fan-out to $k, s to last delivery" "${o#* }" "${l#* }" "${c#* }" "${b#* }"
  done
}
