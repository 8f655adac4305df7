import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { DEFAULT_DASHBOARD_PORT } from '../dashboard-option.js';
import { exists } from '../files.js';
import { DEFAULT_MODEL_PATH } from '../model-source.js';
import { parseIntArg } from '../values.js';

interface DashboardFlags extends CommonFlags {
  logdir: string;
  port: number;
  host: string;
  token?: string;
}

const processEnv: CliEnv = { io: { stdout: process.stdout, stderr: process.stderr } };

/** `mt dashboard`: serves the training dashboard until interrupted (SIGINT/SIGTERM). */
export function registerDashboard(program: Command, env: CliEnv = processEnv): void {
  const command = program
    .command('dashboard')
    .description(
      'serve the web dashboard for the runs under a log directory (live charts, samples, live bridge)',
    )
    .option('--logdir <dir>', 'folder with one sub-folder per training run (may not exist yet)', 'runs')
    .option(
      '--port <n>',
      'TCP port (0 = any free port)',
      parseIntArg({ min: 0, max: 65535 }),
      DEFAULT_DASHBOARD_PORT,
    )
    .option(
      '--host <host>',
      'interface to bind; anything but loopback requires the printed token',
      '127.0.0.1',
    )
    .option('--token <token>', 'token to require on a non-loopback host (default: a random one)');
  addCommonOptions(command);
  addExamples(command, [
    'mt dashboard',
    'mt dashboard --logdir runs --port 6006',
    'mt dashboard --host 0.0.0.0   # prints a token; open the printed URL',
  ]);
  command.action(async (flags: DashboardFlags) => {
    const out = outputFor(env, flags);
    // Loaded here, not at the top: the server reads records through the trainer package, which loads
    // TensorFlow.js, and other commands (and --help) should not pay for that (see lazy-packages.ts).
    const { startDashboardServer } = await import('../dashboard-server.js');
    const server = await startDashboardServer({
      logdir: flags.logdir,
      ...((await exists(DEFAULT_MODEL_PATH)) ? { playModel: DEFAULT_MODEL_PATH } : {}),
      port: flags.port,
      host: flags.host,
      ...(flags.token === undefined ? {} : { token: flags.token }),
    });
    // The URL is the command's result (stdout); with --json it is one JSON line tests and scripts parse.
    if (flags.json) {
      const { url, host, port, token, logdir } = server;
      env.io.stdout.write(`${JSON.stringify({ url, host, port, token, logdir })}\n`);
    } else {
      out.note(`dashboard: watching ${server.logdir}`);
      if (server.token) out.note(`dashboard: token ${server.token} (required for every request and socket)`);
      env.io.stdout.write(`${server.url}\n`);
    }
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  });
}
