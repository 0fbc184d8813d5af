#!/bin/sh
# The report tests render PDFs to PNG (pdftoppm) and read their text (pdftotext): Debian's
# poppler-utils.
if command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian's poppler-utils for the report tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
    exit $?
fi
echo "The report tests need poppler-utils. Install it with: sudo apt-get install poppler-utils" >&2
exit 1
