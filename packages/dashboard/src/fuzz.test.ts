import { describe, expect, it } from 'vitest';
import { fuzzMode } from '../bench/fuzz-run.mjs';

/**
 * Seeded hostile input against the built server in its own process (a crash is the process exiting):
 * 500 raw HTTP requests and 500 raw ws frame sequences per bind mode. bench/fuzz.mjs runs 10,000 of
 * each with the same generator.
 */
describe.each(['loopback', 'token'] as const)('dashboard under fuzzed input (%s bind)', (mode) => {
  it('survives, still serves the page, and still serves a well-behaved ws client', async () => {
    const result = await fuzzMode({ mode, seed: 20261203, httpCases: 500, wsCases: 500 });
    expect(result.crashed).toBeNull();
    expect(result.pageServed).toBe(true);
    expect(result.wsHealthy).toBe(true);
    // The cases reach every stage: some are refused by the token or Host check, some get past it.
    const statuses = Object.keys(result.statuses).join(' ');
    expect(statuses).toMatch(mode === 'token' ? /401/ : /403/);
    expect(statuses).toMatch(/200 OK|404 Not Found|405 Method/);
    expect(result.wsOutcomes.closed ?? 0).toBeGreaterThan(0);
  });
});
