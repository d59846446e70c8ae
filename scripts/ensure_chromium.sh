#!/usr/bin/env bash
# Install Debian's chromium for the browser tests, only when missing, plus a Chinese and an emoji
# font when the system has none (else screenshots show boxes). Debian's packages are used
# rather than Playwright's browser download, which needs the open internet.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    packages+=(fonts-wqy-microhei)
fi
if ! command -v fc-list >/dev/null || ! fc-list | grep -qi emoji; then
    packages+=(fonts-noto-color-emoji)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${packages[@]}"
test -x /usr/bin/chromium
