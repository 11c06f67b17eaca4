#!/usr/bin/env bash
# Runs packaging/nginx.conf and packaging/Caddyfile as shipped (only the host name, ports and, for
# nginx, a self-signed certificate swapped in) in front of a Broadsheet on 127.0.0.1, and checks
# what a reader and the operator would: the front page over https, http sent to https, the reader's
# address and https arriving as the server expects (broadsheet doctor). Stops what it started.
# Needs nginx, caddy, openssl and a built jar.
set -euo pipefail
cd "$(dirname "$0")/.."
# The JDK, the work folder cleaned up on exit with what was started, waiting for a server.
source bench/lib.sh nginx caddy openssl
APP=18580 NGINX_HTTP=18581 NGINX_HTTPS=18582 CADDY_HTTPS=18583

check() { # name base-url https-port
  local name=$1 base=$2
  echo "== $name"
  curl -fsSk "$base/" -o "$work/front.html"
  grep -q "<article\|<h1" "$work/front.html" || { echo "$name: no front page" >&2; exit 1; }
  BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$APP BROADSHEET_BASE_URL="$base" \
    BROADSHEET_TRUSTED_PROXIES=127.0.0.1 SSL_CERT_FILE="$work/cert.pem" \
    "$JAVA" -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStore="$work/trust.p12" \
    -Djavax.net.ssl.trustStorePassword=changeit -jar target/broadsheet.jar doctor >"$work/doctor.txt" 2>/dev/null || true
  grep -E "^(OK|WARN|FAIL) +(base URL|reverse proxy)" "$work/doctor.txt"
  if grep -qE "^(WARN|FAIL) +(base URL|reverse proxy)" "$work/doctor.txt"; then
    echo "$name: the doctor is not satisfied" >&2; exit 1
  fi
}

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
"$JAVA" -version >/dev/null 2>&1
keytool_bin="$(dirname "$(readlink -f "$(command -v "$JAVA" || echo "$JAVA")")")/keytool"
"$keytool_bin" -importcert -noprompt -alias local -file "$work/cert.pem" -keystore "$work/trust.p12" \
  -storetype PKCS12 -storepass changeit >/dev/null 2>&1

BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$APP BROADSHEET_TRUSTED_PROXIES=127.0.0.1 \
  BROADSHEET_BASE_URL="https://127.0.0.1:$NGINX_HTTPS" \
  "$JAVA" -jar target/broadsheet.jar serve >"$work/app.log" 2>&1 &
pids+=($!)
wait_ready "$APP"

# nginx: the shipped server blocks inside a minimal main config.
sed -e "s/news.example.org/127.0.0.1/g" -e "s/listen 80;/listen $NGINX_HTTP;/" -e "/listen \[::\]/d" \
  -e "s/listen 443 ssl http2;/listen $NGINX_HTTPS ssl http2;/" -e "s/127.0.0.1:8080/127.0.0.1:$APP/" \
  -e "s#/etc/letsencrypt/live/127.0.0.1/fullchain.pem#$work/cert.pem#" \
  -e "s#/etc/letsencrypt/live/127.0.0.1/privkey.pem#$work/key.pem#" \
  -e "s#return 301 https://\$host\$request_uri;#return 301 https://\$host:$NGINX_HTTPS\$request_uri;#" \
  packaging/nginx.conf >"$work/site.conf"
mkdir -p "$work/tmp"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  include $work/site.conf;
}
CONF
grep -q "test is successful" <<<"$(nginx -t -c "$work/nginx.conf" -p "$work" 2>&1)"
nginx -c "$work/nginx.conf" -p "$work"
redirect=$(curl -s -o /dev/null -w "%{http_code} %{redirect_url}" "http://127.0.0.1:$NGINX_HTTP/section/city")
echo "http: $redirect"
case "$redirect" in "301 https://127.0.0.1:$NGINX_HTTPS/section/city") ;; *) echo "nginx: no redirect to https" >&2; exit 1;; esac
check nginx "https://127.0.0.1:$NGINX_HTTPS"

# Caddy: the shipped file with its site address on a local port and Caddy's own local CA.
sed -e "s/^news.example.org {/https:\/\/127.0.0.1:$CADDY_HTTPS {\n\ttls internal/" \
  -e "s/127.0.0.1:8080/127.0.0.1:$APP/g" packaging/Caddyfile >"$work/Caddyfile"
printf '{\n\tadmin off\n\tauto_https disable_redirects\n\tstorage file_system %s/caddy\n}\n' "$work" | cat - "$work/Caddyfile" >"$work/Caddyfile.full"
caddy validate --config "$work/Caddyfile.full" --adapter caddyfile >/dev/null 2>&1
HOME="$work" caddy run --config "$work/Caddyfile.full" --adapter caddyfile >"$work/caddy.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do curl -fsSk "https://127.0.0.1:$CADDY_HTTPS/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
# Caddy's local CA signs its certificate: trust it for the doctor's probe.
root=$(find "$work/caddy" -name root.crt | head -n 1)
"$keytool_bin" -importcert -noprompt -alias caddy -file "$root" -keystore "$work/trust.p12" \
  -storetype PKCS12 -storepass changeit >/dev/null 2>&1
check caddy "https://127.0.0.1:$CADDY_HTTPS"
echo "test-proxies: ok"
