#!/usr/bin/env node
// @ts-check
/**
 * Summarises the lengths and endings of a batch written by `mt generate --count N --json > FILE`: seconds
 * got against those asked, pieces that ended on their own, notes force-closed at a limit. One JSON object.
 */
import { readFile } from 'node:fs/promises';
import { QualityError } from './errors.mjs';
import { numberFlag, parseFlags } from './flags.mjs';
import { lengthSummary } from './lengths.mjs';

const USAGE = `Usage: node scripts/quality/length-summary.mjs GENERATE_JSON [--asked-seconds S]

GENERATE_JSON is what 'mt generate ... --count N --json' printed.
  --asked-seconds S   the --max-seconds the batch was generated with (for the within +-1 s count)`;

async function main() {
  const { values, positionals } = parseFlags(
    {
      args: process.argv.slice(2),
      options: { 'asked-seconds': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new QualityError('BAD_ARGS', `expected one GENERATE_JSON\n${USAGE}`);
  const file = positionals[0];
  const text = await readFile(file, 'utf8').catch((cause) => {
    throw new QualityError('BAD_INPUT', `${file}: cannot read`, { cause });
  });
  let json;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new QualityError('BAD_INPUT', `${file}: not JSON`, { cause });
  }
  const asked = numberFlag('asked-seconds', values['asked-seconds'], (x) => x > 0, 'a number > 0') ?? null;
  console.log(JSON.stringify(lengthSummary(json, asked, file)));
}

main().catch((error) => {
  if (error instanceof QualityError) {
    console.error(`length-summary: ${error.code}: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  throw error;
});
