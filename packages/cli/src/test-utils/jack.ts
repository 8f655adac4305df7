import { spawnSync } from 'node:child_process';

/**
 * Whether the `mt live` tests can open ports on a running JACK server (scripts/setup-jack-midi.sh,
 * scripts/start-jack.sh): null when they can, otherwise why not. With MT_REQUIRE_JACK=1 (CI) a missing
 * JACK throws instead, so a suite over real ports cannot pass by skipping.
 */
export async function jackMissing(): Promise<string | null> {
  const reason = await whyNoJack();
  if (reason !== null && process.env.MT_REQUIRE_JACK === '1') {
    throw new Error(`MT_REQUIRE_JACK=1 but ${reason}`);
  }
  return reason;
}

async function whyNoJack(): Promise<string | null> {
  // JACK_NO_START_SERVER: asking must not start a server as a side effect.
  const lsp = spawnSync('jack_lsp', [], { env: { ...process.env, JACK_NO_START_SERVER: '1' } });
  if (lsp.error) return 'JACK is not installed (run scripts/setup-jack-midi.sh)';
  if (lsp.status !== 0) return 'no JACK server is running (start one with scripts/start-jack.sh)';
  // The prebuilt MIDI addon talks to ALSA only; it must be rebuilt for JACK to open ports there.
  const { monotonicClock, openMidiBackend } = await import('@music-transformer/live-bridge');
  try {
    (await openMidiBackend(monotonicClock)).openOutput(`mt-cli-probe-${process.pid}`, true).close();
    return null;
  } catch (error) {
    return `the MIDI addon cannot open JACK ports (run scripts/setup-jack-midi.sh): ${(error as Error).message}`;
  }
}
