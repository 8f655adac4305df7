import { once } from 'node:events';
import { type CliEnv, type CommonFlags, outputFor, watchStop } from '../command-kit.js';
import { exists } from '../files.js';
import { DEFAULT_MODEL_PATH } from '../model-source.js';

export interface DashboardFlags extends CommonFlags {
  logdir: string;
  port: number;
  host: string;
  token?: string;
}

/** `mt dashboard`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runDashboard(flags: DashboardFlags, env: CliEnv): Promise<void> {
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
  const stop = watchStop(env);
  if (!stop.signal.aborted) await once(stop.signal, 'abort');
  stop.dispose();
  await server.close();
}
