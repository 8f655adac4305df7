// @ts-check
/** Puts sample and reference figures side by side as one JSON-ready object. */
import { addCounts, normalise, notesPerSecond, round4, totalVariation } from './histogram.mjs';
import { illFormedShare, sumTokenStats } from './token-analysis.mjs';

/** @param {ReturnType<typeof illFormedShare> | null} x */
const roundShares = (x) =>
  x === null
    ? null
    : { ...x, share: round4(x.share), shareWithoutOpenAtEnd: round4(x.shareWithoutOpenAtEnd) };

/**
 * @param {object} input
 * @param {string} input.folder
 * @param {import('./sample-stats.mjs').SampleStats[]} input.samples
 * @param {import('./reference.mjs').ReferenceStats | null} input.reference
 * @param {number} input.maxIllFormedShare
 * @param {import('./pitch-range.mjs').PitchRange} [input.pitchRange] the range outOfRange was counted against
 * @param {import('./bootstrap.mjs').Intervals | null} [input.bootstrap] intervals of the batch's figures
 */
export function buildReport({ folder, samples, reference, maxIllFormedShare, pitchRange, bootstrap = null }) {
  const withTokens = samples.flatMap((s) => (s.tokenStats === null ? [] : [s.tokenStats]));
  const tokenTotal = sumTokenStats(withTokens);
  const illFormed = withTokens.length === 0 ? null : illFormedShare(tokenTotal);
  const notes = samples.reduce((a, s) => a + s.notes, 0);
  const seconds = samples.reduce((a, s) => a + s.seconds, 0);
  const histogram = new Array(12).fill(0);
  for (const s of samples) addCounts(histogram, s.pitchClassHistogram);
  const sampleNps = notesPerSecond(notes, seconds);
  const refNps = reference === null ? null : notesPerSecond(reference.notes, reference.seconds);
  const share = illFormed?.share ?? null;
  return {
    samples: {
      folder,
      files: samples.length,
      tokenFiles: samples.filter((s) => s.kind === 'tokens').length,
      midiFiles: samples.filter((s) => s.kind === 'midi').length,
      tokens: tokenTotal.tokens,
      notes,
      seconds: round4(seconds),
      notesPerSecond: round4(sampleNps),
      pitchClassHistogram: normalise(histogram).map(round4),
      illFormed: roundShares(illFormed),
      outOfRange: {
        range: pitchRange === undefined ? null : `${pitchRange.low}-${pitchRange.high}`,
        notes: samples.reduce((a, s) => a + s.outOfRange, 0),
        perSample: round4(
          samples.length === 0 ? null : samples.reduce((a, s) => a + s.outOfRange, 0) / samples.length,
        ),
      },
    },
    reference:
      reference === null
        ? null
        : {
            ...reference,
            seconds: round4(reference.seconds),
            notesPerSecond: round4(refNps),
            pitchClassHistogram: normalise(reference.pitchClassHistogram).map(round4),
            illFormed: roundShares(reference.illFormed),
          },
    comparison:
      reference === null
        ? null
        : {
            pitchClassTvd: round4(totalVariation(histogram, reference.pitchClassHistogram)),
            notesPerSecondRatio: round4(
              sampleNps !== null && refNps !== null && refNps > 0 ? sampleNps / refNps : null,
            ),
          },
    bootstrap:
      bootstrap === null
        ? null
        : {
            ...bootstrap,
            notesPerSecond: bootstrap.notesPerSecond?.map(round4) ?? null,
            pitchClassTvd: bootstrap.pitchClassTvd?.map(round4) ?? null,
          },
    threshold: {
      maxIllFormedShare,
      // Without token streams there is nothing to judge: that is a failure, not a pass.
      pass: share !== null && share <= maxIllFormedShare,
    },
    perFile: samples.map((s) => ({
      file: s.file,
      kind: s.kind,
      tokens: s.tokenStats?.tokens ?? null,
      notes: s.notes,
      seconds: round4(s.seconds),
      notesPerSecond: round4(s.notesPerSecond),
      outOfRange: s.outOfRange,
      illFormedShare: s.tokenStats === null ? null : round4(illFormedShare(s.tokenStats).share),
    })),
  };
}
