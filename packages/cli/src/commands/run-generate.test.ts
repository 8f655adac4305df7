import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import type { InterruptSource } from '../interrupt.js';
import { main } from '../main.js';
import { captureIo } from '../test-utils/capture-io.js';
import { trainTinyModel } from '../test-utils/tiny-model.js';
import type { GenerateOptions } from './generate-options.js';
import { runGenerate } from './run-generate.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-run-generate-'));
let model = '';
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A real (barely trained) tiny model. */
beforeAll(async () => {
  ({ model } = await trainTinyModel(root));
}, 120_000);

/** The options commander gives `mt generate` with no flags (its declared defaults), plus `extra`. */
function options(extra: Partial<GenerateOptions> = {}): GenerateOptions {
  return {
    mode: 'categorical',
    temperature: 1,
    topK: 0,
    topP: 1,
    minSeconds: 0,
    tempo: 120,
    grammar: true,
    closeNotes: true,
    count: 1,
    backend: 'auto',
    seed: 1,
    json: true,
    ...extra,
  } as GenerateOptions;
}

describe('runGenerate', () => {
  it('rejects three paths as a usage error naming them', async () => {
    const error = await runGenerate(['a', 'b', 'c.mid'], options(), captureIo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('USAGE');
    expect((error as CliError).message).toBe('generate takes [model] <out.mid>, got 3 paths: a b c.mid');
  });

  it('writes --count files, and on an interrupt during the first one writes it whole and stops', async () => {
    const all = captureIo();
    await runGenerate([model, join(root, 'all.mid')], options({ count: 2, maxTokens: 32 }), all);
    const done = JSON.parse(all.out()) as {
      files: { path: string; generated: number }[];
      interrupted?: boolean;
    };
    expect(done.files.map((f) => f.path)).toEqual([join(root, 'all-1.mid'), join(root, 'all-2.mid')]);
    expect(done.interrupted).toBeUndefined();

    // Ctrl-C arrives while the first file is generated: the signal reads aborted from then on.
    const first = join(root, 'cut-1.mid');
    let disposed = false;
    const interrupts: InterruptSource = () => ({
      signal: {
        get aborted() {
          return existsSync(first);
        },
      } as AbortSignal,
      dispose: () => {
        disposed = true;
      },
    });
    const cut = captureIo();
    await runGenerate([model, join(root, 'cut.mid')], options({ count: 3, maxTokens: 32 }), {
      ...cut,
      interrupts,
    });
    const stopped = JSON.parse(cut.out()) as { files: { path: string }[]; interrupted?: boolean };
    expect(stopped.interrupted).toBe(true);
    expect(stopped.files.map((f) => f.path)).toEqual([first]);
    expect(disposed).toBe(true);
    expect(readdirSync(root).filter((f) => f.startsWith('cut'))).toEqual(['cut-1.mid']);
    // One file: no handler, so Ctrl-C keeps stopping a long generation at once.
    let watched = false;
    const single = captureIo();
    const watch: InterruptSource = (...args) => {
      watched = true;
      return interrupts(...args);
    };
    await runGenerate([model, join(root, 'one.mid')], options({ maxTokens: 16 }), {
      ...single,
      interrupts: watch,
    });
    expect(watched).toBe(false);
    expect(existsSync(join(root, 'one.mid'))).toBe(true);
    const again = captureIo();
    expect(await main(['info', first, '--json'], again.io), again.err()).toBe(0);
  }, 120_000);
});
