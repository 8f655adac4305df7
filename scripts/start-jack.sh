#!/usr/bin/env bash
# Starts a JACK server with the dummy driver (no sound card needed) in the background, unless one is
# already running, and waits until clients can connect. Used by CI before the live-bridge
# end-to-end tests; a developer can run it by hand too. Stop it with: kill "$(cat "$JACK_PIDFILE")".
# Env: JACK_LOG (default /tmp/jackd.log), JACK_PIDFILE (default /tmp/jackd.pid), JACK_WAIT_S (default 20),
#      JACK_REALTIME (auto|0|1, default auto: real-time when this user may use SCHED_FIFO),
#      JACK_PERIOD (frames per cycle, default 128).
set -euo pipefail

LOG="${JACK_LOG:-/tmp/jackd.log}"
PIDFILE="${JACK_PIDFILE:-/tmp/jackd.pid}"
WAIT_S="${JACK_WAIT_S:-20}"

command -v jackd >/dev/null || { echo "start-jack: jackd not installed; run scripts/setup-jack-midi.sh" >&2; exit 1; }

# jack_lsp connects as a client and exits 0 only when the server accepts clients.
server_ready() { JACK_NO_START_SERVER=1 jack_lsp >/dev/null 2>&1; }

if server_ready; then
  echo "start-jack: a JACK server is already running"
  exit 0
fi

# -p 128 frames at 48 kHz = 2.7 ms periods, a common setting for live work. The frame-exact JACK output
# places each message at its own frame, so the period does not bound its timing. Shorter periods make
# the dummy driver fragile on a shared VM: a cycle that starts later than its period makes it restart its
# schedule, and the frame clock then loses that time ("JackTimedDriver::Process XRun" in the log). At
# 32 frames (0.67 ms) that happened 1-160 times per 12 s take here, at 128 frames 0-5 times
# (docs/live-timing.md).
# Real-time scheduling matters on a busy machine: with --no-realtime and the CPUs saturated, clients
# miss JACK cycles ("XRun ... client was not finished") and JACK drops their MIDI events of that cycle
# (seen here under load 9 on 2 cores). -R -P 70 gives the server and its clients' process threads
# SCHED_FIFO; without the privilege (no CAP_SYS_NICE / rtprio limit) fall back to --no-realtime.
RT="${JACK_REALTIME:-auto}"
if [ "$RT" = "auto" ]; then
  if chrt -f 1 true 2>/dev/null; then RT=1; else RT=0; fi
fi
if [ "$RT" = "1" ]; then MODE=(-R -P 70); else MODE=(--no-realtime); fi
# MIDI between two clients takes up to two cycles (the output is written in the next cycle, and the
# reader may run before the writer in the graph): 2 x 2.7 ms at -p 128.
nohup jackd "${MODE[@]}" -d dummy -r 48000 -p "${JACK_PERIOD:-128}" >"$LOG" 2>&1 &
echo $! >"$PIDFILE"

# A freshly (re)started jackd needs a moment (up to ~3 s) before new clients can connect.
deadline=$((SECONDS + WAIT_S))
until server_ready; do
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "start-jack: jackd exited; log follows" >&2
    cat "$LOG" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "start-jack: JACK server not ready after ${WAIT_S}s (log: $LOG)" >&2
    exit 1
  fi
  sleep 0.2
done
echo "start-jack: jackd ${MODE[*]} running (pid $(cat "$PIDFILE"), log $LOG)"
