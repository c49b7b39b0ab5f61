#!/bin/sh
# Chromium on the machine's real clock. tools/date-matrix.sh preloads libfaketime into the Node
# processes (the tests and the apps they start); a browser one of them starts (a browser monitor's
# journey) would inherit it, and Chromium under libfaketime closes at once. The date matrix points
# CHROMIUM_PATH here; the real browser is DATE_MATRIX_CHROMIUM (default Debian's).
unset LD_PRELOAD
for name in $(env | sed -n 's/^\(FAKETIME[A-Z_]*\)=.*/\1/p'); do unset "$name"; done
exec "${DATE_MATRIX_CHROMIUM:-/usr/bin/chromium}" "$@"
