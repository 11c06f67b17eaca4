#!/usr/bin/env bash
# Installs the Debian package on this machine (as root), starts the service the way its systemd
# unit does, with no Java on the PATH, fetches the front page, upgrades to a newer build with the
# data kept, removes it (data kept) and purges it (data gone). Stops what it started.
# Usage: packaging/test-deb.sh OLD.deb NEW.deb
set -euo pipefail
old=$1 new=$2
port=18480
[ "$(id -u)" = 0 ] || { echo "test-deb: run as root" >&2; exit 2; }
dpkg -s broadsheet >/dev/null 2>&1 && { echo "test-deb: broadsheet is installed already" >&2; exit 2; }

pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  dpkg -P broadsheet >/dev/null 2>&1 || true
}
trap cleanup EXIT

start() { # as the unit does: its user, its environment, nothing else
  runuser -u broadsheet -- env -i PATH=/nonexistent HOME=/var/lib/broadsheet \
    BROADSHEET_CONFIG_FILE=/etc/broadsheet/broadsheet.properties \
    BROADSHEET_DATA_DIR=/var/lib/broadsheet BROADSHEET_PORT=$port \
    BROADSHEET_BASE_URL=http://127.0.0.1:$port \
    /opt/broadsheet/bin/broadsheet serve >/tmp/broadsheet-deb.log 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat /tmp/broadsheet-deb.log >&2; echo "test-deb: the service died" >&2; exit 1; }
    sleep 0.5
  done
  cat /tmp/broadsheet-deb.log >&2; echo "test-deb: not ready" >&2; exit 1
}
stop() {
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { pid=""; return 0; }; sleep 0.5; done
  echo "test-deb: did not stop on SIGTERM" >&2; exit 1
}

# A server package: no desktop libraries (X11, sound) among its dependencies.
if grep -Eq "libx11|libasound" <<<"$(dpkg-deb -f "$new" Depends)"; then
  echo "test-deb: depends on desktop libraries: $(dpkg-deb -f "$new" Depends)" >&2; exit 1
fi

echo "== install $old"
dpkg -i "$old" >/dev/null
getent passwd broadsheet >/dev/null
test -f /etc/broadsheet/broadsheet.properties
test -f /lib/systemd/system/broadsheet.service
test -f /lib/systemd/system/broadsheet-pgdump.timer
systemd-analyze verify /lib/systemd/system/broadsheet.service 2>&1 | grep -v "^$" >&2 || true
if runuser -u broadsheet -- env -i PATH=/nonexistent /bin/sh -c 'command -v java' >/dev/null; then
  echo "test-deb: java on the service's PATH" >&2; exit 1
fi
start
# Read whole before grep (grep -q stops at the first match, and curl then fails writing the rest).
front=$(curl -fsS "http://127.0.0.1:$port/")
grep -q "<h1\|<article" <<<"$front" || { echo "test-deb: no front page" >&2; exit 1; }
articles=$(curl -fsS "http://127.0.0.1:$port/api/v1/articles?limit=100&fields=id" | grep -o '"id"' | wc -l)
echo "front page served; $articles articles"
stop

echo "== upgrade to $new"
dpkg -i "$new" >/dev/null
test -f /var/lib/broadsheet/broadsheet.db
start
after=$(curl -fsS "http://127.0.0.1:$port/api/v1/articles?limit=100&fields=id" | grep -o '"id"' | wc -l)
[ "$after" = "$articles" ] || { echo "test-deb: $articles articles before the upgrade, $after after" >&2; exit 1; }
echo "upgraded; data kept ($after articles)"
# The trimmed runtime still handles pictures (uploads are resized), checked by the doctor.
doctor=$(runuser -u broadsheet -- env -i PATH=/nonexistent HOME=/var/lib/broadsheet \
  BROADSHEET_CONFIG_FILE=/etc/broadsheet/broadsheet.properties \
  BROADSHEET_DATA_DIR=/var/lib/broadsheet BROADSHEET_PORT=$port \
  BROADSHEET_BASE_URL=http://127.0.0.1:$port /opt/broadsheet/bin/broadsheet doctor 2>&1 || true)
echo "$doctor" | grep -E "^OK +images" || { echo "$doctor" >&2; echo "test-deb: pictures fail" >&2; exit 1; }
stop

echo "== remove (data kept) and purge (data gone)"
dpkg -r broadsheet >/dev/null
test -f /var/lib/broadsheet/broadsheet.db
test ! -e /opt/broadsheet/bin/broadsheet
dpkg -P broadsheet >/dev/null
test ! -e /var/lib/broadsheet
! getent passwd broadsheet >/dev/null
echo "test-deb: ok"
