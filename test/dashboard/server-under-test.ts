// The dashboard server as the tests start it, from the dashboard package; the browser test runs the
// built `mt dashboard` binary.

export { startDashboardServer } from '@music-transformer/dashboard';
export { MAX_CLIENT_MESSAGE_BYTES } from '@music-transformer/dashboard/protocol';

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built app (vite build of apps/web, found through its package export); the server needs it. */
export const WEB_ROOT = dirname(fileURLToPath(import.meta.resolve('@music-transformer/web/page')));
