export { ApiConfig, CommonConfig, CONFIG_SCHEMAS, trustProxySetting, WorkerConfig } from './schema.js';
export { ConfigError, describeConfig, envExample, loadConfig } from './load-config.js';
export { Variable, variableDocs, type VariableDoc } from './describe.js';
