# Size sweep (ONLY=sweep): push/pull with one message size per step, 16 B to
# 1 MiB (x4 a step), over ipc and tcp: our `send` into our `listen` against
# bench/baseline/stream.c's push into its pull. Every step moves about
# SWEEP_MB MiB (at least 32 messages), each run bounded by SWEEP_TIMEOUT
# seconds; a run that times out or comes short warns and counts as missing.
# SWEEP_TRANSPORTS (ipc tcp) limits the transports measured; the columns of
# one left out stay empty.
# Writes $SWEEP_OUT/sweep.csv and draws $SWEEP_OUT/sweep.svg with gnuplot.
SWEEP_SIZES=${SWEEP_SIZES:-16 64 256 1024 4096 16384 65536 262144 1048576}
SWEEP_TRANSPORTS=${SWEEP_TRANSPORTS:-ipc tcp}
SWEEP_MB=${SWEEP_MB:-32} SWEEP_RUNS=${SWEEP_RUNS:-3} SWEEP_TIMEOUT=${SWEEP_TIMEOUT:-60}
SWEEP_OUT=${SWEEP_OUT:-bench}

# COUNT lines of SIZE bytes plus a newline, so each message is SIZE bytes.
sweep_input() { python3 -c 'import sys; size, count = int(sys.argv[1]), int(sys.argv[2]); sys.stdout.buffer.write((b"y" * size + b"\n") * count)' "$1" "$2"; }

# One run, $1 ours|c, $2 transport, $3 input, $4 its line count (of $size
# bytes, the caller's): prints msg/s, or nothing after a warning.
sweep_once() {
  port=$((port + 1)); local u; u=$(url "$2"); local t0 t1 rc=0
  if [ "$1" = ours ]; then timeout "$SWEEP_TIMEOUT" "$OURS" listen "$u" --count "$4" > "$T/sout" &
  else timeout "$SWEEP_TIMEOUT" "$T/stream" pull "$u" "$4" > "$T/sout" & fi
  local pid=$!; wait_ready
  t0=$(now)
  if [ "$1" = ours ]; then timeout "$SWEEP_TIMEOUT" "$OURS" send "$u" < "$3" &
  else timeout "$SWEEP_TIMEOUT" "$T/stream" push "$u" < "$3" & fi
  local spid=$!
  wait "$pid" || rc=$?; t1=$(now); wait "$spid" || true
  local got; got=$(wc -l < "$T/sout")
  if [ "$rc" -ne 0 ] || [ "$got" -ne "$4" ]; then
    echo "warning: sweep $1 $2 $size B: $got of $4 delivered (exit $rc)" >&2
    return 0
  fi
  echo "$4 / ($t1 - $t0)" | bc -l
}

# Median of the numbers on stdin, or nothing if there are none.
median_or_empty() { local v; v=$(grep . || true); [ -z "$v" ] || echo "$v" | median; }

sweep_section() {
  command -v gnuplot > /dev/null || { echo "bench/run: the sweep draws with gnuplot: run scripts/install-deps bench" >&2; exit 1; }
  local csv=$SWEEP_OUT/sweep.csv
  echo "size_bytes,messages_per_run,ipc_ours_msg_s,ipc_baseline_msg_s,tcp_ours_msg_s,tcp_baseline_msg_s,ipc_ours_mib_s,ipc_baseline_mib_s,tcp_ours_mib_s,tcp_baseline_mib_s" > "$csv.tmp"
  printf '\nSize sweep, push/pull, msg/s, medians of %s runs (baseline: stream.c), %s MiB a step\n' "$SWEEP_RUNS" "$SWEEP_MB"
  local size
  for size in $SWEEP_SIZES; do
    local count=$(( (SWEEP_MB << 20) / size )); [ "$count" -ge 32 ] || count=32
    sweep_input "$size" "$count" > "$T/sweepin"
    local rates=() mibs=() transport
    for transport in ipc tcp; do
      local a=() b=() side
      case " $SWEEP_TRANSPORTS " in *" $transport "*) ;; *) rates+=("" ""); mibs+=("" ""); continue ;; esac
      for _ in $(seq "$SWEEP_RUNS"); do a+=("$(sweep_once ours "$transport" "$T/sweepin" "$count")"); b+=("$(sweep_once c "$transport" "$T/sweepin" "$count")"); done
      for side in a b; do
        local -n runs=$side
        local m; m=$(printf '%s\n' "${runs[@]}" | median_or_empty)
        rates+=("$m")
        if [ -n "$m" ]; then mibs+=("$(printf '%.2f' "$(echo "$m * $size / 1048576" | bc -l)")"); else mibs+=(""); fi
      done
      local ours=${rates[-2]} base=${rates[-1]}
      if [ -n "$ours" ] && [ -n "$base" ]; then row "sweep $transport $size B x $count, msg/s" "$ours $base"
      else printf '%-44s %14s %14s %8s\n' "sweep $transport $size B x $count, msg/s" "${ours:--}" "${base:--}" -; fi
    done
    local cells=() r
    for r in "${rates[@]}"; do if [ -n "$r" ]; then cells+=("$(printf '%.0f' "$r")"); else cells+=(""); fi; done
    (IFS=,; echo "$size,$count,${cells[*]},${mibs[*]}") >> "$csv.tmp"
  done
  rm -f "$T/sweepin"
  mv "$csv.tmp" "$csv"
  sweep_chart "$csv" "$SWEEP_OUT/sweep.svg"
  echo "wrote $csv and $SWEEP_OUT/sweep.svg" >&2
}

# Two log-log panels, messages/s and MiB/s against the message size; an
# empty CSV cell (a failed step) leaves a gap in its line.
sweep_chart() {
  gnuplot <<GP
set terminal svg size 1000,420 font "sans,11" background "white"
set output "$2"
set datafile separator ","
set key autotitle columnhead
set logscale xy
set grid
set xrange [11:1500000]
set xtics ("16" 16, "64" 64, "256" 256, "1K" 1024, "4K" 4096, "16K" 16384, "64K" 65536, "256K" 262144, "1M" 1048576)
set xlabel "message size (bytes)"
set key bottom center font "sans,9"
set multiplot layout 1,2 title "push/pull: nngcat send -> listen against the C baseline (bench/baseline/stream.c)"
set ylabel "messages/s"
plot "$1" using 1:3 with linespoints lw 2 lc rgb "#1f77b4" pt 7 title "ours, ipc", \
     "" using 1:4 with linespoints lw 2 lc rgb "#1f77b4" dt 2 pt 6 title "baseline, ipc", \
     "" using 1:5 with linespoints lw 2 lc rgb "#d62728" pt 5 title "ours, tcp", \
     "" using 1:6 with linespoints lw 2 lc rgb "#d62728" dt 2 pt 4 title "baseline, tcp"
set ylabel "MiB/s"
set key top left
plot "$1" using 1:7 with linespoints lw 2 lc rgb "#1f77b4" pt 7 title "ours, ipc", \
     "" using 1:8 with linespoints lw 2 lc rgb "#1f77b4" dt 2 pt 6 title "baseline, ipc", \
     "" using 1:9 with linespoints lw 2 lc rgb "#d62728" pt 5 title "ours, tcp", \
     "" using 1:10 with linespoints lw 2 lc rgb "#d62728" dt 2 pt 4 title "baseline, tcp"
unset multiplot
GP
}
