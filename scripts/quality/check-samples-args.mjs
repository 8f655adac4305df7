// @ts-check
/** Command-line arguments of scripts/quality/check-samples.mjs, checked once here. */
import { QualityError } from './errors.mjs';
import { parseFlags } from './flags.mjs';
import { parseRange } from './pitch-range.mjs';

export const USAGE = `Usage: node scripts/quality/check-samples.mjs SAMPLES_DIR [options]

Measures generated samples (.mid, or token files .json/.txt/.tokens/.u16) in SAMPLES_DIR and compares
them with a reference; prints one JSON object.
  --reference PATH          corpus/manifest.json (or the corpus folder), a dataset .safetensors, or a folder
                            of MIDI/token files (default: corpus/manifest.json when it exists)
  --reference-sources IDS   with a manifest: only these comma-separated source ids
  --split NAME              with a dataset: tensor to read (default validation)
  --vocab NAME|FILE         vocab of the token files: preset name or VocabConfig .json (default seed)
  --max-ill-formed X        exit 1 when the share of ill-formed note events exceeds X (default 0.01)
  --pitch-range LO-HI       count the notes outside this range (default 21-108, the piano)
  --bootstrap N             95 % intervals of notes/s and the pitch-class distance from N resamples of
                            the files (default 1000, seeded by --bootstrap-seed, default 1; 0 = none)
  --pretty                  indent the JSON
Exit status: 0 within the threshold, 1 above it (or no token stream to judge), 2 bad arguments or input.`;

/**
 * @param {string[]} argv
 * @param {string | null} defaultReference
 */
export function parseCheckArgs(argv, defaultReference) {
  const parsed = parseFlags(
    {
      args: argv,
      options: {
        reference: { type: 'string' },
        'reference-sources': { type: 'string' },
        split: { type: 'string', default: 'validation' },
        vocab: { type: 'string', default: 'seed' },
        'max-ill-formed': { type: 'string', default: '0.01' },
        'pitch-range': { type: 'string', default: '21-108' },
        bootstrap: { type: 'string', default: '1000' },
        'bootstrap-seed': { type: 'string', default: '1' },
        pretty: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    },
    USAGE,
  );
  const { values, positionals } = parsed;
  if (values.help) return { help: /** @type {const} */ (true) };
  if (positionals.length !== 1) {
    throw new QualityError('BAD_ARGS', `expected one SAMPLES_DIR, got ${positionals.length}\n${USAGE}`);
  }
  const max = Number(values['max-ill-formed']);
  if (!(max >= 0 && max <= 1)) {
    throw new QualityError(
      'BAD_ARGS',
      `--max-ill-formed must be a number in [0, 1], got '${values['max-ill-formed']}'`,
    );
  }
  const bootstrap = Number(values.bootstrap);
  if (!(Number.isInteger(bootstrap) && bootstrap >= 0 && bootstrap <= 100_000)) {
    throw new QualityError(
      'BAD_ARGS',
      `--bootstrap must be an integer in [0, 100000], got '${values.bootstrap}'`,
    );
  }
  const bootstrapSeed = Number(values['bootstrap-seed']);
  if (!Number.isSafeInteger(bootstrapSeed)) {
    throw new QualityError(
      'BAD_ARGS',
      `--bootstrap-seed must be an integer, got '${values['bootstrap-seed']}'`,
    );
  }
  return {
    help: /** @type {const} */ (false),
    samples: positionals[0],
    reference: values.reference ?? defaultReference,
    sources: values['reference-sources']?.split(',').map((s) => s.trim()) ?? null,
    split: values.split,
    vocab: values.vocab,
    maxIllFormed: max,
    pitchRange: parseRange(values['pitch-range']),
    bootstrap,
    bootstrapSeed,
    pretty: values.pretty,
  };
}
