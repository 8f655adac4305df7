import { Option } from 'commander';
import { parseIntArg } from './values.js';

/** The port `mt dashboard`, `mt train --dashboard` and `mt live --dashboard` serve on unless told otherwise. */
export const DEFAULT_DASHBOARD_PORT = 6006;

/** `--dashboard` alone is `true`; `--dashboard 7000` is the port. */
export type DashboardFlag = number | true;

/**
 * `--dashboard [port]`, shared by `mt train` and `mt live` so both read it the same way: the flag alone
 * serves on the default port, a number picks another (0 = any free port). `what` says what the page shows.
 */
export function dashboardOption(what: string): Option {
  return new Option(
    '--dashboard [port]',
    `also serve the web dashboard ${what} on this port (default ${DEFAULT_DASHBOARD_PORT}; 0 = any free port)`,
  ).argParser(parseIntArg({ min: 0, max: 65535 }));
}

/** The port to serve on, or null when `--dashboard` was not given. */
export function dashboardPort(flag: DashboardFlag | undefined): number | null {
  if (flag === undefined) return null;
  return flag === true ? DEFAULT_DASHBOARD_PORT : flag;
}
