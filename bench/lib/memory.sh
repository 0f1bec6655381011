# Memory as the work grows (ONLY=memory): peak RSS (GNU time's %M, KiB) of
# `listen --count N` taking N 16-byte messages from the baseline pusher, for N
# in MEMORY_COUNTS, against the baseline's pull; and of `send` reading
# 64 MiB and then 1 GiB of 4 KiB lines into the baseline's pull, against
# the baseline's push. Flat is the target. Bounded by MEMORY_TIMEOUT each.
MEMORY_COUNTS=${MEMORY_COUNTS:-10000 100000 1000000 10000000} MEMORY_TIMEOUT=${MEMORY_TIMEOUT:-300}

# Peak RSS of the command "$@" (timeout counts its child's peak), or nothing
# after a warning.
peak_rss() {
  local rc=0
  /usr/bin/time -f %M -o "$T/rss" timeout "$MEMORY_TIMEOUT" "$@" > /dev/null || rc=$?
  if [ "$rc" -ne 0 ]; then echo "warning: $* exited $rc" >&2; return 0; fi
  tail -n 1 "$T/rss"
}
# $1 ours|c, $2 messages: the receiver's peak RSS.
listen_rss() {
  port=$((port + 1)); local u; u=$(url ipc)
  local cmd=("$T/stream" pull "$u" "$2"); [ "$1" = c ] || cmd=("$OURS" listen "$u" --count "$2")
  peak_rss "${cmd[@]}" > "$T/rssout" & local pid=$!; wait_ready
  repeat_line 012345678901234 "$2" | timeout "$MEMORY_TIMEOUT" "$T/stream" push "$u" || true
  wait "$pid" || true; cat "$T/rssout"
}
# $1 ours|c, $2 MiB of 4 KiB lines on the sender's stdin: the sender's peak RSS.
send_rss() {
  port=$((port + 1)); local u; u=$(url ipc); local lines=$(($2 * 256))
  timeout "$MEMORY_TIMEOUT" "$T/stream" pull "$u" "$lines" > /dev/null & local pid=$!; wait_ready
  local cmd=("$T/stream" push "$u"); [ "$1" = c ] || cmd=("$OURS" send "$u")
  repeat_line "$(printf '%04095d' 0)" "$lines" | peak_rss "${cmd[@]}"
  wait "$pid" || echo "warning: send_rss $1 $2 MiB: the receiver came short" >&2
}
rss_row() { if [ -n "${2% *}" ] && [ -n "${2#* }" ] && [ "$2" != " " ]; then row "$1" "$2"; else printf '%-44s %14s\n' "$1" "no figure ($2)"; fi; }

memory_section() {
  printf '\nMemory, peak RSS in KiB (baseline: stream.c)\n'
  printf '%-44s %14s %14s %8s\n' scenario ours baseline ratio
  local n
  for n in $MEMORY_COUNTS; do rss_row "listen, $n x 16 B lines over ipc" "$(listen_rss ours "$n") $(listen_rss c "$n")"; done
  local mib
  for mib in 64 1024; do rss_row "send, $mib MiB of 4 KiB lines on stdin" "$(send_rss ours "$mib") $(send_rss c "$mib")"; done
}
