#!/usr/bin/env bash
# Runs the demo: the sync server (embedded SQLite) in the background and the web app in
# the foreground, both on loopback. Ctrl-C stops both.
set -euo pipefail
bin=$1 demo_dir=$2 server_port=$3 app_port=$4

export TERRENO_DATA_DIR="$demo_dir/server"
"$bin/terreno-server" serve --port "$server_port" --log-level warning &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  "$bin/python" -c "import httpx,sys; httpx.get('http://127.0.0.1:$server_port/v1/health').raise_for_status()" \
    2>/dev/null && break
  kill -0 $server_pid 2>/dev/null || { echo "the sync server did not start" >&2; exit 1; }
  sleep 0.5
done

cat <<TXT

  Terreno demo
  ------------
  App:          http://127.0.0.1:$app_port
  Sync server:  http://127.0.0.1:$server_port   (API docs: /docs)

  Demo sign-ins (password: terreno-demo)
TXT
"$bin/python" -c "
from sync_server.importer.demo import demo_sign_ins
for login, role, name in demo_sign_ins(1):
    print(f'    {login:22} {role:8} {name}')
"
echo
echo "  Ctrl-C stops both."
echo

TERRENO_SERVER_URL="http://127.0.0.1:$server_port" TERRENO_DATA_DIR="$demo_dir/client" \
  "$bin/terreno" --port "$app_port"
