#!/usr/bin/env bash
# Runs the demo: a mail sink and the sync server (embedded SQLite) in the background and the
# web app in the foreground, all on loopback. The server delivers quote e-mails itself (its
# own scheduler) into the sink, whose web page shows each message and its PDF. Ctrl-C stops all.
set -euo pipefail
bin=$1 demo_dir=$2 server_port=$3 app_port=$4 sink_smtp_port=${5:-8025} sink_web_port=${6:-8026}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM

"$bin/python" -m sync_server.mail_sink --smtp-port "$sink_smtp_port" --http-port "$sink_web_port" >/dev/null &
pids+=($!)

export TERRENO_DATA_DIR="$demo_dir/server"
TERRENO_SMTP_HOST=127.0.0.1 TERRENO_SMTP_PORT="$sink_smtp_port" \
  TERRENO_SMTP_FROM="Terreno demo <quotes@terreno.example>" TERRENO_EMAIL_DELIVERY_SECONDS=3 \
  "$bin/terreno-server" serve --port "$server_port" --log-level warning &
server_pid=$!
pids+=($server_pid)

wait_for() {  # wait_for URL WHAT PID: until URL answers, or fail if PID died
  for _ in $(seq 1 60); do
    "$bin/python" -c "import httpx; httpx.get('$1').raise_for_status()" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "the $2 did not start" >&2; exit 1; }
    sleep 0.5
  done
  echo "the $2 did not answer at $1" >&2
  exit 1
}
wait_for "http://127.0.0.1:$sink_web_port/" "mail sink" "${pids[0]}"
wait_for "http://127.0.0.1:$server_port/v1/health" "sync server" "$server_pid"

cat <<TXT

  Terreno demo
  ------------
  App:          http://127.0.0.1:$app_port
  Sync server:  http://127.0.0.1:$server_port   (API docs: /docs)
  Mail sink:    http://127.0.0.1:$sink_web_port   (every quote e-mail sent, with its PDF;
                SMTP on 127.0.0.1:$sink_smtp_port, nothing leaves this machine)

  Demo sign-ins (password: terreno-demo)
TXT
"$bin/python" -c "
from sync_server.importer.demo import demo_sign_ins
for login, role, name in demo_sign_ins(1):
    print(f'    {login:22} {role:8} {name}')
"
echo
echo "  Ctrl-C stops them all."
echo

TERRENO_SERVER_URL="http://127.0.0.1:$server_port" TERRENO_DATA_DIR="$demo_dir/client" \
  "$bin/terreno" --port "$app_port"
