import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { DEFAULT_DASHBOARD_PORT } from '../dashboard-option.js';
import { parseIntArg } from '../values.js';
import { type DashboardFlags, runDashboard } from './run-dashboard.js';

/** `mt dashboard`: serves the training dashboard until interrupted (SIGINT/SIGTERM). */
export function registerDashboard(program: Command, env: CliEnv): void {
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
    await runDashboard(flags, env);
  });
}
