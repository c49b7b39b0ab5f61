#!/usr/bin/env bash
# Runs the date-sensitive suites as if the machine's clock said another time: a Monday at 03:00
# (the ISO week has turned but last week's board has not frozen yet, and it is still Sunday in
# UTC), a Monday at 09:00 (after the freeze and the digest) and a Sunday at 23:30 (the week's last
# half hour), in TIME_ZONE (default Europe/Paris). A suite that passes only on some days or hours
# fails here, not on a good change's CI run.
#
#   tools/date-matrix.sh                              # the suites listed below, at the three instants
#   tools/date-matrix.sh test/board.e2e-spec.ts ...   # these suites only
#   DATE_MATRIX_MONDAY=2027-01-04 tools/date-matrix.sh   # around another Monday (default: the next one)
#
# The clock is moved by libfaketime (Debian's `faketime`, installed by tools/ensure-test-services.sh)
# for jest and every Node process it starts (the apps, the CLI); it starts at the instant and runs
# on. Monotonic clocks are left alone: timers and timeouts keep their real durations. PostgreSQL
# and Chromium keep the real time, as a database server and a person's browser elsewhere would
# (Chromium under libfaketime does not load pages).
set -euo pipefail
cd "$(dirname "$0")/.."

zone=${TIME_ZONE:-Europe/Paris}

if ! command -v faketime >/dev/null 2>&1; then
  echo "date-matrix: faketime is missing: run tools/ensure-test-services.sh" >&2
  exit 1
fi

# The suites whose outcome could depend on the day or the hour: ISO weeks, the live and frozen
# boards, the Monday freeze and digest, alerts' windows, tickets' ages, retention, the demo data.
DEFAULT_SUITES=(
  test/board.e2e-spec.ts
  test/decisions.e2e-spec.ts
  test/digest.e2e-spec.ts
  test/irritants.e2e-spec.ts
  test/irritant-triage.e2e-spec.ts
  test/alerts.e2e-spec.ts
  test/chat.e2e-spec.ts
  test/trackers.e2e-spec.ts
  test/exports.e2e-spec.ts
  test/survey-impact.e2e-spec.ts
  test/kpis.e2e-spec.ts
  test/privacy.e2e-spec.ts
  test/learning.e2e-spec.ts
  test/embedded.e2e-spec.ts
  test/ui.e2e-spec.ts
  test/ui-pages.e2e-spec.ts
  test/integrations-ui.e2e-spec.ts
  test/monday-loop.e2e-spec.ts
)
if [[ $# -gt 0 ]]; then suites=("$@"); else suites=("${DEFAULT_SUITES[@]}"); fi

# The next Monday in the zone (today if it is one), and the Sunday before it.
monday=${DATE_MATRIX_MONDAY:-$(TZ=$zone date -d 'monday' +%F)}
sunday=$(date -d "$monday -1 day" +%F)
instants=("$monday 03:00" "$monday 09:00" "$sunday 23:30")

# A browser the apps start themselves (a browser monitor) must not inherit libfaketime either.
export DATE_MATRIX_CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
export CHROMIUM_PATH="$PWD/tools/chromium-real-time.sh"

failed=()
for instant in "${instants[@]}"; do
  # The instant in the zone, written in this machine's local time (what faketime reads).
  epoch=$(TZ=$zone date -d "$instant" +%s)
  local_time=$(date -d "@$epoch" '+%Y-%m-%d %H:%M:%S')
  label="$(TZ=$zone date -d "@$epoch" '+%A %F %H:%M %Z') ($zone)"
  echo "date-matrix: $label"
  if FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_ONLY_CMDS=node faketime "$local_time" \
    node --experimental-vm-modules node_modules/jest/bin/jest.js "${suites[@]}" --selectProjects e2e slow; then
    echo "date-matrix: $label: passed"
  else
    echo "date-matrix: $label: FAILED"
    failed+=("$label")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  printf 'date-matrix: failed at %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "date-matrix: every suite passed at ${#instants[@]} instants"
