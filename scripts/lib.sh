# Helpers shared by the scripts: free ports, throwaway PostgreSQL and Redis, package installs.
# shellcheck shell=bash

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $(( (RANDOM % 20000) + 30000 ))
}

# free_cluster_port: a free port whose cluster bus port (10000 higher) is free too.
free_cluster_port() {
  python3 - <<'PY'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    p = random.randint(20000, 55000)
    if free(p) and free(p + 10000):
        print(p); break
PY
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs Debian packages that are missing (root only; elsewhere it says what to install).
ensure_packages() {
  local missing=()
  for spec in "$@"; do
    local pkg=${spec%%:*} probe=${spec#*:}
    if ! command -v "$probe" >/dev/null 2>&1 && [ ! -x "$probe" ]; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} from Debian packages..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# publish_server OUT: the server in Release, compiled ahead of time (ReadyToRun) for this machine's
# runtime identifier, so a start does not JIT the app and its libraries first (about a third less
# CPU to the first answer; docs/deploy.md).
publish_server() {
  local rid
  rid=$(dotnet --info 2>/dev/null | awk '/^ *RID:/ {print $2; exit}')
  dotnet publish src/Switchboard/Switchboard.csproj -c Release -o "$1" -nologo -v q \
    ${rid:+-r "$rid" --self-contained false -p:PublishReadyToRun=true}
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# start_postgres DIR PORT [durable]: a throwaway cluster, trusted local access, no durability
# (tests only) unless the third argument is "durable" (PostgreSQL's own defaults: fsync on, as a
# benchmark against another stack's default cluster needs).
start_postgres() {
  local dir=$1 port=$2 bin
  local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${3:-}" = durable ] && durability=""
  bin=$(pg_bin)
  mkdir -p "$dir"
  chmod 755 "$dir"
  local run=()
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=400" \
    start >/dev/null
}

stop_postgres() {
  local dir=$1 bin run=()
  bin=$(pg_bin)
  [ -f "$dir/data/postmaster.pid" ] || return 0
  if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

start_redis() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "Redis did not start on port $port" >&2
  return 1
}

stop_redis() {
  local dir=$1 port=$2
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
}

# start_turnserver DIR PORT SECRET: coturn in the foreground-less test form, on loopback only, with
# the shared secret the server mints TURN credentials from (docs/deploy.md has the real set-up).
# Loopback peers are allowed because both browsers of a test relay to 127.0.0.1. Relay ports are a
# random block of 40 so that two test runs on one machine do not collide.
start_turnserver() {
  local dir=$1 port=$2 secret=$3 base=$((50000 + RANDOM % 10000))
  mkdir -p "$dir"
  turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 --listening-port="$port" \
    --min-port="$base" --max-port="$((base + 40))" --use-auth-secret --static-auth-secret="$secret" \
    --realm=switchboard.local --no-tls --no-dtls --no-cli --allow-loopback-peers \
    --pidfile="$dir/coturn.pid" --verbose --log-file="$dir/turnserver.log" --simple-log >"$dir/turnserver.out" 2>&1 &
  echo $! >"$dir/turnserver.pid"
  for _ in $(seq 1 50); do
    grep -q "listener opened on\|Total General servers" "$dir/turnserver.log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "coturn did not start on port $port" >&2
  return 1
}

stop_turnserver() {
  local dir=$1
  [ -f "$dir/turnserver.pid" ] && kill "$(cat "$dir/turnserver.pid")" 2>/dev/null || true
}

# start_redis_cluster DIR PORT1 PORT2 PORT3: a three-shard Redis Cluster (no replicas) of plain
# redis-server processes, slots assigned by redis-cli; waits until the cluster reports ok.
start_redis_cluster() {
  local dir=$1 port
  shift
  mkdir -p "$dir"
  for port in "$@"; do
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "nodes-$port.conf" \
      --save '' --appendonly no --daemonize yes --dir "$dir" --pidfile "$dir/$port.pid" --logfile "$dir/$port.log"
  done
  for port in "$@"; do
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  local nodes=()
  for port in "$@"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 \
    || { echo "redis-cli --cluster create failed:" >&2; cat "$dir/create.log" >&2; return 1; }
  for _ in $(seq 1 100); do
    redis-cli -p "$1" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && return 0
    sleep 0.1
  done
  echo "The Redis Cluster on $* did not become ready" >&2
  return 1
}

# stop_redis_cluster DIR PORT...: stops the nodes start_redis_cluster started (by their pid files).
stop_redis_cluster() {
  local dir=$1 port
  shift
  for port in "$@"; do
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    [ -f "$dir/$port.pid" ] && kill "$(cat "$dir/$port.pid")" 2>/dev/null || true
  done
}

# write_nginx_conf DIR LISTEN_PORT UPSTREAM_PORT...: the nginx configuration docs/deploy.md shows,
# with its temporary files and pid under DIR (nginx -c DIR/nginx.conf -p DIR runs it unprivileged).
# Host goes through with its port ($http_host), so links the server builds (pagination) keep it.
# Socket URLs (?token=) reach neither log: no access log, and only critical errors under /ws/.
write_nginx_conf() {
  local dir=$1 listen=$2 servers="" port
  shift 2
  for port in "$@"; do servers+="    server 127.0.0.1:$port max_fails=0;"$'\n'; done
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<NGINX
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-body;
  proxy_temp_path $dir/nginx-proxy;
  fastcgi_temp_path $dir/nginx-fastcgi;
  uwsgi_temp_path $dir/nginx-uwsgi;
  scgi_temp_path $dir/nginx-scgi;
  upstream switchboard {
$servers  }
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:$listen;
    client_max_body_size 30m;
    location /ws/ {
      # Socket URLs carry the access token (?token=...) and nginx's error log quotes the request
      # line: only critical errors here (docs/deploy.md).
      error_log $dir/nginx-error.log crit;
      proxy_pass http://switchboard;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_read_timeout 3600s;
    }
    location / {
      proxy_pass http://switchboard;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
    }
  }
}
NGINX
}
