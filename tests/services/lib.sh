#!/usr/bin/env bash
# lib.sh - what with_s3.sh and with_kinesis.sh share (sourced): a temp folder, servers started in
# the background and stopped by pid when the script ends however it ends, free ports, waiting for
# a server to listen, and running the wrapped command.
#
# services_init NAME KEEP_VAR   sets $data (a fresh temp folder) and the traps; with ${!KEEP_VAR}=1
#                               the folder is kept (and its path printed)
# services_start NAME LOG PORT CMD...   starts CMD in the background (output to $data/LOG), waits
#                               until it listens on 127.0.0.1:PORT, fails with the log if it does not
# free_ports N                  N distinct free ports on 127.0.0.1, on one line
# services_run CMD...           runs the wrapped command and exits with its status

services_init() {
  svc_name=$1 svc_keep=$2 svc_pids="" svc_cmd=""
  bash "$here/install.sh" || { echo "$svc_name: installing the test services failed" >&2; exit 1; }
  data="$(mktemp -d "${TMPDIR:-/tmp}/sluice-${svc_name%.sh}.XXXXXX")"
  trap services_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

services_cleanup() {
  local status=$? p
  trap - EXIT INT TERM
  [ -n "$svc_cmd" ] && kill "$svc_cmd" 2>/dev/null
  for p in $svc_pids; do kill "$p" 2>/dev/null; done
  for p in $svc_cmd $svc_pids; do wait "$p" 2>/dev/null; done
  if [ "${!svc_keep:-}" = 1 ]; then echo "$svc_name: kept $data" >&2; else rm -rf "$data"; fi
  exit "$status"
}

# Distinct ports, all held open while asked for, so that none is handed out twice.
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1]), ports = [], servers = [];
    const next = () => {
      if (ports.length === n) { console.log(ports.join(" ")); servers.forEach((s) => s.close()); return; }
      const s = net.createServer();
      servers.push(s);
      s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); next(); });
    };
    next();' "$1"
}

# Waits until something accepts connections on 127.0.0.1:$1 while process $2 lives (10 s max).
wait_port() {
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

services_start() {
  local what=$1 log=$2 port=$3
  shift 3
  "$@" >"$data/$log" 2>&1 &
  local pid=$!
  svc_pids="$pid $svc_pids"
  if ! wait_port "$port" "$pid"; then
    echo "$svc_name: $what did not start on port $port:" >&2
    cat "$data/$log" >&2
    exit 1
  fi
}

services_run() {
  # In the background so that a TERM (a test timeout) reaches the trap at once.
  "$@" <&0 &
  svc_cmd=$!
  local status=0
  wait "$svc_cmd" || status=$?
  svc_cmd=""
  exit "$status"
}
