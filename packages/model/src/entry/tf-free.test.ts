import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Each import runs in a fresh Node process (the built package, through its own exports) under a module
// resolve hook that refuses every `@tensorflow/*` module and, when asked, every Node built-in: an entry that
// reaches either fails to import. The require cache is checked too, for CommonJS loads the hook cannot see.
const REGISTER = new URL('./test-utils/register-refuse-hook.mjs', import.meta.url).href;

function importIn(fresh: string, forbidNode: boolean): { ok: boolean; output: string } {
  const script = `
    await import('${fresh}');
    const { createRequire } = process.getBuiltinModule('node:module');
    const cached = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('@tensorflow'));
    if (cached.length > 0) throw new Error('required ' + cached[0]);
    console.log('clean');`;
  const r = spawnSync(process.execPath, ['--import', REGISTER, '--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url),
    encoding: 'utf8',
    env: { ...process.env, MT_FORBID_NODE: forbidNode ? '1' : '0' },
    timeout: 60_000,
  });
  return { ok: r.status === 0 && r.stdout.includes('clean'), output: `${r.stdout}${r.stderr}` };
}

describe('TF-free entries', () => {
  it.each(['hparams', 'generation', 'formats'])(
    '@music-transformer/model/%s loads no @tensorflow module',
    (e) => {
      const r = importIn(`@music-transformer/model/${e}`, false);
      expect(r.output).not.toMatch(/refused|required/);
      expect(r.ok, r.output).toBe(true);
    },
  );

  it.each(['generation', 'formats'])(
    '@music-transformer/model/%s loads no Node built-in (browser-safe)',
    (e) => {
      const r = importIn(`@music-transformer/model/${e}`, true);
      expect(r.ok, r.output).toBe(true);
    },
  );

  it('the check catches TF.js: the root entry fails under the same hook', () => {
    const r = importIn('@music-transformer/model', false);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/refused @tensorflow\//);
  });
});
