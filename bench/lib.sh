# lib.sh - helpers shared by the bench scripts (sourced, not run): medians, how busy the machine
# is, waiting for it to be quiet, and timing a run with its CPU time, peak RSS and an RSS trace.
# The sourcing script sets `work` (a scratch folder) and `wait_idle` (1: wait for a quiet machine).

log() { echo "bench: $*" >&2; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }

# busy_ticks: "busy total" jiffies over all cores; the busy share while we measure tells how much
# else ran (a sluice run itself keeps about one core busy, so ~50 % is a quiet 2-core machine).
busy_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
busy_pct() { awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN { printf "%.0f", (d > b) ? 100 * (c - a) / (d - b) : 0 }'; }

# Waits (up to 2 minutes) until the whole machine is below 15 % busy for 3 s.
wait_quiet() {
  [ "${wait_idle:-1}" = 1 ] || return 0
  local w b0 a0 b1 a1 p
  for ((w = 0; w < 40; w++)); do
    read -r b0 a0 < <(busy_ticks); sleep 3; read -r b1 a1 < <(busy_ticks)
    p=$(busy_pct "$b0" "$a0" "$b1" "$a1")
    [ "$p" -lt 15 ] && return 0
    [ "$w" = 0 ] && log "waiting for the machine to be quiet (${p}% busy)"
  done
  log "still busy after 2 minutes (${p}%); measuring anyway"
}

# timed LOG CMD...: runs CMD with stderr to LOG; sets t_wall (s), t_cpu (user+sys s), t_rss (MB).
timed() {
  local logf=$1 tf=$work/.time t0 t1; shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M %U %S' -o "$tf" "$@" 2> "$logf" || { tail -5 "$logf" >&2; echo "bench: failed: $*" >&2; exit 1; }
  t1=$EPOCHREALTIME
  t_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  read -r t_rss t_cpu < <(awk '{ printf "%.1f %.2f\n", $1 / 1024, $2 + $3 }' "$tf")
}

# timed_trace LOG CMD...: like timed, and samples the process's RSS every 0.2 s; sets t_trace to
# the RSS (MB) at 25, 50, 75 and 100 % of the run, "a/b/c/d".
timed_trace() {
  local logf=$1 tf=$work/.time t0 t1 tpid pid="" rss=$work/.rss; shift
  : > "$rss"
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M %U %S' -o "$tf" "$@" 2> "$logf" &
  tpid=$!
  while kill -0 "$tpid" 2>/dev/null; do
    [ -n "$pid" ] || pid=$(cat "/proc/$tpid/task/$tpid/children" 2>/dev/null | awk '{ print $1 }')
    [ -z "$pid" ] || awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null >> "$rss" || true
    sleep 0.2
  done
  wait "$tpid" || { tail -5 "$logf" >&2; echo "bench: failed: $*" >&2; exit 1; }
  t1=$EPOCHREALTIME
  t_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  read -r t_rss t_cpu < <(awk '{ printf "%.1f %.2f\n", $1 / 1024, $2 + $3 }' "$tf")
  t_trace=$(awk '{ v[NR] = $1 } END {
    if (!NR) { print "-"; exit }
    for (q = 1; q <= 4; q++) { i = int(NR * q / 4); if (i < 1) i = 1; printf "%s%.0f", (q > 1 ? "/" : ""), v[i] / 1024 }
    print "" }' "$rss")
}

# The "N rows written" of a job summary.
written() { sed -n 's/.* \([0-9][0-9]*\) rows written.*/\1/p' "$1"; }
