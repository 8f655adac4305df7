export type { DashboardServer, LiveEmitter } from '@music-transformer/dashboard';
export type { CliEnv, CommonFlags } from './command-kit.js';
export { COMMANDS } from './commands/index.js';
export { type DashboardOptions, startDashboardServer } from './dashboard-server.js';
export { CliError, type CliErrorCode, EXIT } from './errors.js';
export { main } from './main.js';
export {
  DEFAULT_MODEL_PATH,
  DEFAULT_MODEL_WORD,
  loadModelSource,
  type ModelSource,
  resolveModelPath,
} from './model-source.js';
export { type Io, Output, type OutputFlags, type Stream } from './output.js';
export { buildProgram, type CommandModule, runCli } from './program.js';
