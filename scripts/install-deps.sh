#!/usr/bin/env bash
# Installs the Debian packages Gazette needs, only those missing. Usage: install-deps.sh build|test|bench
# Safe to run repeatedly; runs apt-get update only when something must be installed.
set -euo pipefail
profile=${1:-build}

# chromium (test): the web reader is checked in a real headless browser (tests/python/test_web_reader.py).
# libcurl4-openssl-dev: the SMTP client of the digest by email (CCurl); also, release builds link Foundation
# statically (--static-swift-stdlib), whose networking part links libcurl.
build=(pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libpango1.0-dev libcairo2-dev libxml2-dev
       libsqlite3-dev libcurl4-openssl-dev libqrencode-dev libstemmer-dev libwebp-dev libjpeg62-turbo-dev fonts-dejavu-core fonts-noto-color-emoji)
test=("${build[@]}" poppler-utils postgresql prometheus prometheus-alertmanager docker-compose python3-venv python3-pip curl chromium systemd)
bench=("${test[@]}" wrk hyperfine time)

case "$profile" in
  build) wanted=("${build[@]}") ;;
  test) wanted=("${test[@]}") ;;
  bench) wanted=("${bench[@]}") ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# The postgresql package would start a system cluster; tests start their own throwaway clusters instead.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
