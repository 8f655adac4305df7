import { hparamPresets } from '@music-transformer/model';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.js';
import { DEFAULT_DASHBOARD_PORT, dashboardPort } from './dashboard-option.js';
import type { Io, Stream } from './output.js';
import { buildProgram, runCli } from './program.js';
import { DEFAULT_MIN_SECONDS } from './sampling-options.js';

function captureIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout: Stream = {
    write: (s: string) => {
      out += s;
    },
  };
  const stderr: Stream = {
    write: (s: string) => {
      err += s;
    },
  };
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

/** Runs the real parser but swaps the command's action for a spy, so typed values can be checked cheaply. */
async function parsedArgs(args: string[], name: string): Promise<unknown[]> {
  const { io } = captureIo();
  let captured: unknown[] = [];
  const spyModules = COMMANDS.map((m) => ({
    ...m,
    register: (program: Command, env: { io: Io }) => {
      m.register(program, env);
      const command = program.commands.find((c) => c.name() === name);
      command?.action((...values: unknown[]) => {
        captured = values.slice(0, -1); // drop the Command itself
      });
    },
  }));
  const code = await runCli([name, ...args], { io }, spyModules);
  expect(code).toBe(0);
  return captured;
}

describe('program', () => {
  it('gives every command a description, help text and examples', () => {
    const { io } = captureIo();
    const program = buildProgram({ io }, COMMANDS);
    const names = program.commands.map((c) => c.name());
    for (const name of [
      'preprocess',
      'train',
      'generate',
      'evaluate',
      'info',
      'tokenize',
      'detokenize',
      'live',
      'dashboard',
    ]) {
      expect(names).toContain(name);
    }
    for (const command of program.commands.filter((c) => !['live', 'dashboard'].includes(c.name()))) {
      expect(command.description().length, command.name()).toBeGreaterThan(10);
      const help = captureIo();
      command.configureOutput({ writeOut: (s) => help.io.stdout.write(s) });
      command.outputHelp();
      expect(help.out(), command.name()).toContain('Examples:\n  $ mt ');
    }
  });

  it('exits 0 for --help and --version, 2 for usage errors', async () => {
    const help = captureIo();
    expect(await runCli(['--help'], { io: help.io }, COMMANDS)).toBe(0);
    expect(help.out()).toContain('Usage: music-transformer');
    expect(await runCli(['--version'], captureIo(), COMMANDS)).toBe(0);
    expect(await runCli([], captureIo(), COMMANDS)).toBe(2);
    const unknown = captureIo();
    expect(await runCli(['generat'], { io: unknown.io }, COMMANDS)).toBe(2);
    expect(unknown.err()).toContain("unknown command 'generat'");
    expect(unknown.err()).toContain('Did you mean generate?');
  });

  it('rejects unknown flags and bad choices, listing the valid ones', async () => {
    const flag = captureIo();
    expect(await runCli(['generate', 'out.mid', '--temprature', '1'], { io: flag.io }, COMMANDS)).toBe(2);
    expect(flag.err()).toContain("unknown option '--temprature'");
    expect(flag.err()).toContain('Did you mean --temperature?');
    const choice = captureIo();
    expect(await runCli(['generate', 'out.mid', '-m', 'greedy'], { io: choice.io }, COMMANDS)).toBe(2);
    expect(choice.err()).toContain("argument 'greedy' is invalid. Allowed choices are categorical, argmax.");
  });

  it("parses the original's train flags as typed values", async () => {
    const [data, ckpt, save, epochs, flags] = await parsedArgs(
      [
        'd.safetensors',
        'c.pt',
        'm.safetensors',
        '3',
        '-bs',
        '4',
        '-w',
        '100',
        '-d',
        '64',
        '-nl',
        '2',
        '-nh',
        '4',
        '-dff',
        '128',
        '-mrd',
        '32',
        '-map',
        '0',
        '-nb',
        '-dr',
        '0.2',
        '-le',
        '1e-5',
        '-l',
      ],
      'train',
    );
    expect([data, ckpt, save, epochs]).toEqual(['d.safetensors', 'c.pt', 'm.safetensors', 3]);
    expect(flags).toMatchObject({
      batchSize: 4,
      warmupSteps: 100,
      dModel: 64,
      numLayers: 2,
      numHeads: 4,
      dFeedforward: 128,
      maxRelDist: 32,
      maxAbsPosition: 0,
      bias: false,
      dropout: 0.2,
      layernormEps: 1e-5,
      loadCheckpoint: true,
    });
  });

  it("parses the original's generate flags", async () => {
    const [paths, flags] = await parsedArgs(
      [
        'm.safetensors',
        'o.mid',
        '-m',
        'argmax',
        '-k',
        '40',
        '-t',
        '0.8',
        '-tm',
        '90',
        '-i',
        'p.mid',
        '-it',
        '64',
        '-p',
        '0.95',
      ],
      'generate',
    );
    expect(paths).toEqual(['m.safetensors', 'o.mid']);
    expect(flags).toMatchObject({
      mode: 'argmax',
      topK: 40,
      temperature: 0.8,
      tempo: 90,
      primer: 'p.mid',
      primerTokens: 64,
      topP: 0.95,
    });
  });

  it('rejects out-of-range sampling values and bad typed arguments with one line, exit 2', async () => {
    const cases: [string[], string][] = [
      [['generate', 'o.mid', '-t', '-1'], "argument '-1' is invalid. Expected a number > 0 and <= 100."],
      [['generate', 'o.mid', '-t', 'hot'], "argument 'hot' is invalid. Expected a number."],
      [['generate', 'o.mid', '-p', '0'], "option '-p, --top-p <float>' argument '0' is invalid."],
      [['generate', 'o.mid', '-k', '2.5'], "argument '2.5' is invalid. Expected an integer."],
      [['generate', 'o.mid', '--count', '0'], 'Expected an integer >= 1 and <= 1000.'],
      [
        ['train', 'd', 'c', 'm', 'two'],
        "argument value 'two' is invalid for argument 'epochs'. Expected an integer.",
      ],
      [['train', 'd', 'c', 'm', '1', '-bs', '0'], "option '-bs, --batch-size <n>' argument '0' is invalid."],
      [['preprocess', 'src', 'dst', '64', '--preset', 'remi'], 'Allowed choices are seed, performance-rnn.'],
      [
        ['train', 'd', 'c', 'm', '1', '--backend', 'cuda'],
        'Allowed choices are auto, tensorflow-gpu, tensorflow, wasm, cpu.',
      ],
    ];
    for (const [args, message] of cases) {
      const { io, err } = captureIo();
      expect(await runCli(args, { io }, COMMANDS), args.join(' ')).toBe(2);
      expect(err().trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(err(), args.join(' ')).toContain(message);
    }
  });

  it('reads --dashboard [port] the same way in train and live', async () => {
    const train = ['d.safetensors', 'c.pt', 'm.safetensors', '1'];
    const flagsOf = async (args: string[], name: string) => (await parsedArgs(args, name)).at(-1);
    expect(await flagsOf([...train, '--dashboard'], 'train')).toMatchObject({ dashboard: true });
    expect(await flagsOf([...train, '--dashboard', '7000'], 'train')).toMatchObject({ dashboard: 7000 });
    expect(await flagsOf(['--dashboard'], 'live')).toMatchObject({ dashboard: true });
    expect(await flagsOf(['--dashboard', '0'], 'live')).toMatchObject({ dashboard: 0 });
    expect(await flagsOf(train, 'train')).not.toHaveProperty('dashboard');
    expect(([true, 7000, 0, undefined] as const).map(dashboardPort)).toEqual([
      DEFAULT_DASHBOARD_PORT,
      7000,
      0,
      null,
    ]);
    const program = buildProgram(captureIo(), COMMANDS);
    const helpLine = (name: string) => {
      const command = program.commands.find((c) => c.name() === name)!;
      return command.options.find((o) => o.long === '--dashboard')?.flags;
    };
    expect(helpLine('train')).toBe('--dashboard [port]');
    expect(helpLine('live')).toBe('--dashboard [port]');
    for (const name of ['train', 'live']) {
      const args = name === 'train' ? [...train, '--dashboard', '70000'] : ['--dashboard', 'x'];
      const { io, err } = captureIo();
      expect(await runCli([name, ...args], { io }, COMMANDS), name).toBe(2);
      expect(err(), name).toContain("option '--dashboard [port]' argument");
    }
  });

  it('gives generate and live the same sampling flags and defaults (--min-seconds included)', async () => {
    const shared = ['-t', '0.8', '-k', '40', '-p', '0.9', '--min-seconds', '3', '--seed', '7'];
    const given = { temperature: 0.8, topK: 40, topP: 0.9, minSeconds: 3, seed: 7 };
    expect((await parsedArgs(['o.mid', ...shared], 'generate')).at(-1)).toMatchObject(given);
    expect((await parsedArgs(shared, 'live')).at(-1)).toMatchObject(given);
    const defaults = { temperature: 1, topK: 0, topP: 1, minSeconds: DEFAULT_MIN_SECONDS };
    for (const [name, args] of [
      ['generate', ['o.mid']],
      ['live', []],
    ] as const) {
      const flags = (await parsedArgs([...args], name)).at(-1);
      expect(flags, name).toMatchObject(defaults);
      expect(flags, name).not.toHaveProperty('seed');
    }
    // Only the temperature's ceiling differs: the live bridge's controls stop at 10.
    expect((await parsedArgs(['o.mid', '-t', '20'], 'generate')).at(-1)).toMatchObject({ temperature: 20 });
    const { io, err } = captureIo();
    expect(await runCli(['live', '-t', '20'], { io }, COMMANDS)).toBe(2);
    expect(err()).toContain('Expected a number > 0 and <= 10.');
  });

  it('reports failures as one line with exit 1', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['info', '/no/such/file.mid'], { io }, COMMANDS)).toBe(1);
    expect(err()).toBe('error: file not found: /no/such/file.mid\n');
  });

  it('reports failures and usage errors as one JSON document on stdout under --json, same exit status', async () => {
    const failed = captureIo();
    expect(await runCli(['info', '/no/such/file.mid', '--json'], { io: failed.io }, COMMANDS)).toBe(1);
    expect(JSON.parse(failed.out())).toEqual({
      error: { code: 'NOT_FOUND', message: 'file not found: /no/such/file.mid' },
    });
    expect(failed.err()).toBe('');
    const usage = captureIo();
    expect(await runCli(['generate', 'o.mid', '-t', '-1', '--json'], { io: usage.io }, COMMANDS)).toBe(2);
    const document = JSON.parse(usage.out()) as { error: { code: string; message: string } };
    expect(document.error.code).toBe('USAGE');
    expect(document.error.message).toContain('Expected a number > 0 and <= 100.');
    expect(usage.err()).toBe('');
  });

  it("offers every preset of the model package as train's --preset", () => {
    const train = buildProgram(captureIo(), COMMANDS).commands.find((c) => c.name() === 'train')!;
    const preset = train.options.find((o) => o.long === '--preset')!;
    expect([...(preset.argChoices ?? [])].sort()).toEqual(Object.keys(hparamPresets).sort());
  });
});
