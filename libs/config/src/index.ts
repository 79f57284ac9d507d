export { ApiConfig, CommonConfig, WorkerConfig } from './schema.js';
export { ConfigError, describeConfig, loadConfig } from './load-config.js';
export { Variable, variableDocs, type VariableDoc } from './describe.js';
