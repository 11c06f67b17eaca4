#!/usr/bin/env bash
# Builds the Debian package: the jar, a runtime trimmed with jlink to the modules it uses (no Java
# needed on the server), and jpackage's .deb with our maintainer scripts (system user, config in
# /etc/broadsheet, data in /var/lib/broadsheet, hardened systemd unit).
# Usage: packaging/build-deb.sh [VERSION]   (default: the project's version without -SNAPSHOT)
# Writes target/deb/broadsheet_VERSION_amd64.deb. Needs a JDK 21+ with jlink and jpackage,
# dpkg-deb and fakeroot (Debian: apt-get install -y fakeroot).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JDK_BIN="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin"
version=${1:-$(sed -n 's:.*<version>\([0-9.]*\)-SNAPSHOT</version>.*:\1:p' pom.xml | head -n 1)}
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package

out=target/deb
rm -rf "$out/input" "$out/runtime" "$out/resources"
mkdir -p "$out/input" "$out/resources"
cp target/broadsheet.jar "$out/input/"
cp packaging/broadsheet.service packaging/broadsheet-pgdump.service packaging/broadsheet-pgdump.timer \
  packaging/broadsheet.properties.example "$out/input/"
cp packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$out/resources/"

# The modules the jar uses, and a few it reaches by reflection or service loading.
modules=$("$JDK_BIN/jdeps" --print-module-deps --ignore-missing-deps --multi-release 21 \
  --class-path target/broadsheet.jar target/broadsheet.jar 2>/dev/null || true)
modules="${modules:+$modules,}java.desktop,java.management,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.charsets,jdk.unsupported,jdk.zipfs,jdk.localedata,java.instrument,jdk.management"
"$JDK_BIN/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress zip-6 --output "$out/runtime"
# A server never opens a window or plays a sound: without these the package needs no X11 or ALSA
# libraries (pictures are handled headless, by libawt_headless).
rm -f "$out"/runtime/lib/libawt_xawt.so "$out"/runtime/lib/libjawt.so \
  "$out"/runtime/lib/libsplashscreen.so "$out"/runtime/lib/libjsound.so

rm -f "$out"/broadsheet_"$version"*.deb
"$JDK_BIN/jpackage" --type deb --name broadsheet --app-version "$version" \
  --description "Broadsheet: a self-hosted news publishing platform" \
  --vendor "Broadsheet" --about-url "https://github.com/broadsheet/broadsheet" \
  --input "$out/input" --main-jar broadsheet.jar --main-class org.broadsheet.Main \
  --runtime-image "$out/runtime" --install-dir /opt --resource-dir "$out/resources" \
  --linux-package-name broadsheet --linux-app-category web --linux-deb-maintainer "ops@broadsheet.invalid" \
  --java-options "-XX:+ExitOnOutOfMemoryError" --java-options "-Djava.awt.headless=true" \
  --dest "$out"
ls -la "$out"/broadsheet_"$version"*.deb
