import { jackServerMissing, requireJackOr } from '@music-transformer/test-midi/jack';

/**
 * Whether the `mt live` tests can open ports on a running JACK server (scripts/setup-jack-midi.sh,
 * scripts/start-jack.sh): null when they can, otherwise why not. With MT_REQUIRE_JACK=1 (CI) a missing
 * JACK throws instead, so a suite over real ports cannot pass by skipping.
 */
export async function jackMissing(): Promise<string | null> {
  return requireJackOr(await whyNoJack());
}

async function whyNoJack(): Promise<string | null> {
  const missing = jackServerMissing();
  if (missing !== null) return missing;
  // The prebuilt MIDI addon talks to ALSA only; it must be rebuilt for JACK to open ports there.
  const { monotonicClock, openMidiBackend } = await import('@music-transformer/live-bridge');
  try {
    (await openMidiBackend(monotonicClock)).openOutput(`mt-cli-probe-${process.pid}`, true).close();
    return null;
  } catch (error) {
    return `the MIDI addon cannot open JACK ports (run scripts/setup-jack-midi.sh): ${(error as Error).message}`;
  }
}
