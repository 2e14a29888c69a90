#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver (Debian's `chromium` and
# `chromium-driver`) for tests/browser.rs, when they are absent. A failure
# (no apt, no network, not root) is reported and tolerated: the browser test
# then says it was skipped.
set -uo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    echo "install-browser: chromium and chromedriver present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get; the browser test will be skipped" >&2
    exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo -n"
    else
        echo "install-browser: not root and no sudo; the browser test will be skipped" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
if $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver; then
    echo "install-browser: installed $(chromium --version 2>/dev/null)"
else
    echo "install-browser: could not install chromium; the browser test will be skipped" >&2
fi
exit 0
