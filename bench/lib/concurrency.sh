# Concurrency (ONLY=concurrency): CLIENTS concurrent requesters
# (bench/baseline/reqload.c: one req context per thread) against
# `listen --rep --exec cat --jobs N` (EXEC_REQUESTS requests, N in JOBS;
# compared with --jobs 1: it should scale until the CPUs are busy), and
# against `listen --rep --echo` (ECHO_REQUESTS), alone and with --jobs
# CLIENTS, compared with bench/baseline/echo.c (as many contexts as
# requesters, answering from aio callbacks). Every requester run is bounded by CONC_TIMEOUT seconds.
CLIENTS=${CLIENTS:-8} JOBS=${JOBS:-1 2 4 8} EXEC_REQUESTS=${EXEC_REQUESTS:-1000}
ECHO_REQUESTS=${ECHO_REQUESTS:-50000} CONC_TIMEOUT=${CONC_TIMEOUT:-120}

# $1 requests, then the server's command: prints requests/s, or nothing
# after a warning.
requesters() {
  local count=$1; shift
  port=$((port + 1)); local u; u=$(url ipc)
  "$@" "$u" > /dev/null & local pid=$!; wait_ready
  local rate rc=0
  rate=$(timeout "$CONC_TIMEOUT" "$T/reqload" "$u" "$count" "$CLIENTS" 16) || rc=$?
  kill -TERM "$pid"; wait "$pid" 2> /dev/null || true
  if [ "$rc" -ne 0 ]; then echo "warning: $* answered short of $count requests (exit $rc)" >&2; return 0; fi
  echo "$rate"
}
# exec: the server is the background job, for kill to reach it.
exec_server() { local jobs=$1; shift; exec "$OURS" listen --rep "$@" --exec cat --jobs "$jobs" --format no; }
echo_server() {
  case $1 in
    ours) exec "$OURS" listen --rep "$2" --echo --format no ;;
    jobs) exec "$OURS" listen --rep "$2" --echo --format no --jobs "$CLIENTS" ;;
    c) exec "$T/echo" "$2" "$CLIENTS" ;;
  esac
}
echo_rate() { requesters "$ECHO_REQUESTS" echo_server "$1"; }

concurrency_section() {
  printf '\nConcurrency, %s requesters over ipc, requests/s (medians of %s)\n' "$CLIENTS" "$RUNS"
  printf '%-44s %14s %14s %8s\n' scenario ours baseline ratio
  local one="" jobs
  for jobs in $JOBS; do
    local runs=() r
    for _ in $(seq "$RUNS"); do r=$(requesters "$EXEC_REQUESTS" exec_server "$jobs"); [ -z "$r" ] || runs+=("$r"); done
    local m; m=$(printf '%s\n' "${runs[@]}" | median_or_empty)
    [ -n "$one" ] || one=$m
    if [ -n "$m" ] && [ -n "$one" ]; then row "--exec cat --jobs $jobs (baseline: --jobs 1)" "$m $one"
    else echo "--exec cat --jobs $jobs: no figure" >&2; fi
  done
  row "--echo (baseline: echo.c, $CLIENTS contexts)" "$(both echo_rate ours c)"
  row "--echo --jobs $CLIENTS (the same baseline)" "$(both echo_rate jobs c)"
}
