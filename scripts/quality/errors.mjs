// @ts-check
/**
 * The one error class of the quality scripts, with a closed set of codes.
 * - BAD_ARGS: wrong command-line arguments.
 * - BAD_INPUT: a sample, token file, dataset or manifest that cannot be read (the message names it).
 * - NO_SAMPLES: the samples folder holds no readable sample.
 * - CLI_FAILED: a `mt` command run by compare-attention exited with an error.
 * - NO_SYNTH: fluidsynth or its soundfont is missing (listen.mjs renders audio with them).
 * @typedef {'BAD_ARGS' | 'BAD_INPUT' | 'NO_SAMPLES' | 'CLI_FAILED' | 'NO_SYNTH'} QualityErrorCode
 */
export class QualityError extends Error {
  /**
   * @param {QualityErrorCode} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'QualityError';
    /** @readonly */
    this.code = code;
  }
}
