#!/usr/bin/env bash
# Installs the Debian packages that the tests drive as real programs, only where they are missing:
# Dovecot (IMAP server for the e-mail connector's tests), Chromium (browser tests) and faketime
# (tools/date-matrix.sh).
# Idempotent: does nothing when they are present. The tests start their own private Dovecot, so
# the system service must never run (it would hold ports 143/993).
set -euo pipefail

log() { echo "ensure-test-services: $*"; }

if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo -n); fi

# Another engineer's or suite's apt run may hold the dpkg lock: wait for it rather than fail.
APT_OPTS=(-y --no-install-recommends -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive

apt_updated=false
apt_install() {
  if "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "$@"; then return 0; fi
  if [[ $apt_updated == false ]]; then
    log "install of $* failed, running apt-get update and retrying"
    "${SUDO[@]}" apt-get update -o DPkg::Lock::Timeout=600
    apt_updated=true
    "${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "$@"
  else
    return 1
  fi
}

# policy-rc.d answering 101 keeps invoke-rc.d from starting services that a package installs.
# Docker images often have one already; add a temporary one only when there is none.
POLICY=/usr/sbin/policy-rc.d
with_services_blocked() {
  local added=false
  if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    added=true
  fi
  local rc=0
  "$@" || rc=$?
  if [[ $added == true ]]; then "${SUDO[@]}" rm -f "$POLICY"; fi
  return "$rc"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

have_dovecot() { command -v dovecot >/dev/null 2>&1 || [[ -x /usr/sbin/dovecot ]]; }

installed_dovecot=false
if have_dovecot; then
  log "dovecot present ($(command -v dovecot || echo /usr/sbin/dovecot)), nothing to do"
else
  log "installing dovecot-imapd"
  start=$SECONDS
  with_services_blocked apt_install dovecot-imapd
  log "installed dovecot-imapd in $((SECONDS - start))s"
  # Belt and braces: whatever the init system did, the system service must not run.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    "${SUDO[@]}" systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
  fi
  "${SUDO[@]}" service dovecot stop >/dev/null 2>&1 || true
  log "system dovecot service stopped"
  have_dovecot || { log "dovecot still missing after install" >&2; exit 1; }
  installed_dovecot=true
fi

for port in 143 993; do
  if port_open "$port"; then
    if [[ $installed_dovecot == true ]]; then
      log "127.0.0.1:$port still answers after stopping the system dovecot" >&2
      exit 1
    fi
    # Not ours to stop: the tests use private servers on free ports, so it does no harm.
    log "note: something already listens on 127.0.0.1:$port"
  fi
done

# libfaketime: tools/date-matrix.sh runs the date-sensitive suites at other days and hours with it.
if command -v faketime >/dev/null 2>&1; then
  log "faketime present, nothing to do"
else
  log "installing faketime"
  apt_install faketime
fi

if [[ -x /usr/bin/chromium ]]; then
  log "chromium present, nothing to do"
else
  log "installing chromium"
  start=$SECONDS
  with_services_blocked apt_install chromium
  log "installed chromium in $((SECONDS - start))s"
fi
