import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jackServerTrouble, jackTroubleBetween, onsetDeviation } from './jack.js';
import { quantile } from './stats.js';

// Lines as jackd 1.9.21 writes them with the dummy driver.
const LOG_START = `jackdmp 1.9.21
JACK server starting in realtime mode with priority 70
JackEngine::XRun: client = RtMidi Output Client-02 was not finished, state = Triggered
JackAudioDriver::ProcessGraphAsyncMaster: Process error
`;
const LOG_MORE = `JackTimedDriver::Process XRun = 26 usec
JackEngine::XRun: client = mt-dump-1 was not finished, state = Triggered
JackEngine::XRun: client = RtMidi Output Client-02 was not finished, state = Triggered
JackEngine::XRun: client = mt-dump-1 was not finished, state = Running
`;

describe('jackServerTrouble', () => {
  it('counts the driver restarts and each client’s late cycles, and what changed between two readings', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mt-jack-log-')), 'jackd.log');
    writeFileSync(log, LOG_START);
    const before = jackServerTrouble(log);
    expect(before).toEqual({ restarts: 0, lateCycles: { 'RtMidi Output Client-02': 1 } });
    writeFileSync(log, LOG_START + LOG_MORE);
    const after = jackServerTrouble(log);
    expect(after).toEqual({ restarts: 1, lateCycles: { 'RtMidi Output Client-02': 2, 'mt-dump-1': 2 } });
    expect(jackTroubleBetween(before, after)).toEqual({
      restarts: 1,
      lateCycles: { 'RtMidi Output Client-02': 1, 'mt-dump-1': 2 },
    });
  });

  it('is null when the log cannot be read, and so is any difference with it', () => {
    const missing = join(tmpdir(), `mt-no-such-jack-log-${process.pid}`);
    expect(jackServerTrouble(missing)).toBeNull();
    expect(jackTroubleBetween(null, { restarts: 0, lateCycles: {} })).toBeNull();
  });
});

describe('onsetDeviation', () => {
  it('measures each onset against one median (global) and against its neighbours within 1 s (local)', () => {
    // Arrivals 5 ms after their due times, then the receiver's clock steps 2 ms back at 3 s; one late note.
    const due = [0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000];
    const arrived = due.map((d) => d + (d >= 3000 ? 3 : 5) + (d === 1500 ? 1 : 0));
    const { global, local } = onsetDeviation(due, arrived);
    // One median (3 ms, after the step) counts the 2 ms step on every earlier note, and the late one at 3.
    expect(global).toEqual({ p50: 0, p99: 3, max: 3 });
    // Against its neighbours each note sits on their median across the step; only the late note shows.
    expect(local).toEqual({ p50: 0, p99: 1, max: 1 });
    expect(quantile([], 0.5)).toBeNaN();
  });
});
