import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jackServerTrouble, jackTroubleBetween } from './jack.js';

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
