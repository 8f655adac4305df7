import { fileURLToPath } from 'node:url';
import type { DashboardServer, DashboardOptions as ServerOptions } from '@music-transformer/dashboard';

/**
 * The built dashboard app this package ships (dist/web, copied from `@music-transformer/web/page` by
 * scripts/copy-web-assets.mjs at build time). The path is the same from src/ (tests) and dist/.
 */
export const WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

/** The dashboard package's options, with the app this package ships as the default `webRoot`. */
export type DashboardOptions = Omit<ServerOptions, 'webRoot'> & { webRoot?: string };

/**
 * Starts the dashboard server serving the app shipped with the CLI. The package is imported here, on
 * first use, not at module load: it reads records through the trainer package, which loads TensorFlow.js,
 * and a plain `mt train` or `mt --help` should not pay for that.
 */
export async function startDashboardServer(options: DashboardOptions): Promise<DashboardServer> {
  const { startDashboardServer: start } = await import('@music-transformer/dashboard');
  return start({ ...options, webRoot: options.webRoot ?? WEB_ROOT });
}
