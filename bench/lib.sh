# Shared by the HTTP benchmarks (source it with the tools it needs: source bench/lib.sh wrk nginx): the JDK, a work folder cleaned up on exit with the
# processes started, waiting for a server, a static nginx for the same bytes, and one wrk run.
# Everything talks to 127.0.0.1 only.

need() { # tools...
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y $*)" >&2; exit 2; }
  done
}

need "$@"

if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m"}
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_ready() { # port
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench: server on port $1 did not become ready" >&2
  exit 1
}

static_nginx() { # port content-type: serves $work/www
  cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=100;
  default_type $2;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$1;
    root $work/www;
    location / { try_files \$uri =404; }
  }
}
CONF
  mkdir -p "$work/nginx-tmp"
  chmod 755 "$work"; chmod -R a+rX "$work/www"   # nginx workers run as an unprivileged user
  nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
  sleep 0.5
}

measure() { # name url -> "rps p99" (after a warm-up; the line is also shown on stderr)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$2" >/dev/null
  local out rps p99 errors
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  printf '%-40s %12s req/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors" >&2
  echo "$rps $p99"
}
