export { DashboardError, type DashboardErrorCode } from './errors.js';
export type { LiveEmitter } from './live-source.js';
export type { DashboardOptions } from './options.js';
export {
  type ClientMessage,
  type LiveEvent,
  MAX_CLIENT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type RunSeries,
  type RunSummary,
  type ServerMessage,
} from './protocol.js';
export { type DashboardServer, startDashboardServer } from './server.js';
export type { HubStats } from './ws-hub.js';
