export type { LiveEmitter } from './live-source.js';
export type { DashboardOptions } from './options.js';
export type { ClientMessage, LiveEvent, RunSeries, RunSummary, ServerMessage } from './protocol.js';
export { type DashboardServer, startDashboardServer } from './server.js';
