#!/bin/sh
# The browser tests drive Debian's chromium (Playwright cannot download its own here).
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    exit $?
fi
echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium" >&2
exit 1
