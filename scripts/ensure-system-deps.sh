#!/usr/bin/env bash
# Installs the Debian packages that some test suites need (chromium for the UI tests, tshark and tcpdump
# for cross-checks, iproute2/nftables for the network-namespace lab, zip/gzip/editcap/mergecap to
# make the container and multi-interface captures of the input tests). Only acts when something is
# missing and we are root with apt-get; otherwise prints why the dependent suites will skip.
# Never fails the test run: a suite whose tool is absent skips with its own printed reason.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tshark   >/dev/null 2>&1 || need+=(tshark)
command -v tcpdump  >/dev/null 2>&1 || need+=(tcpdump)
command -v ip       >/dev/null 2>&1 || need+=(iproute2)
command -v nft      >/dev/null 2>&1 || need+=(nftables)
command -v zip      >/dev/null 2>&1 || need+=(zip)
command -v gzip     >/dev/null 2>&1 || need+=(gzip)
command -v mergecap >/dev/null 2>&1 || need+=(wireshark-common)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-deps: missing ${need[*]} and not root with apt-get; suites needing them will skip" >&2
  exit 0
fi
echo "ensure-system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "ensure-system-deps: apt-get install failed for ${need[*]}; suites needing them will skip" >&2
exit 0
