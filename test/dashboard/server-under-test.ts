// The dashboard server as the tests start it. Imported from the CLI's source so these tests do not
// depend on the rest of the CLI being built; the browser test runs the built `mt dashboard` binary.

export { MAX_CLIENT_MESSAGE_BYTES } from '../../packages/cli/src/dashboard/protocol.js';
export { startDashboardServer } from '../../packages/cli/src/dashboard/server.js';

import { fileURLToPath } from 'node:url';

/** The built app (vite build of apps/web); the server refuses to start without it. */
export const WEB_ROOT = fileURLToPath(new URL('../../apps/web/dist/', import.meta.url));
