export {
  DERIVE_ERROR_CODES,
  DeriveError,
  isDeriveError,
  type DeriveErrorCode,
  type DeriveErrorDetails,
} from './errors.js';
export {
  analyzeDerivation,
  type AggregateKind,
  type AnalyzeRequest,
  type ColumnSource,
  type DerivationAnalysis,
  type DerivationInput,
  type OutputColumn,
} from './analyze.js';
export { closeParser } from './parser.js';
export { EXCLUDED_FUNCTIONS, isAllowedFunction } from './functions.js';
export {
  DerivationSandbox,
  SandboxEnginePool,
  type DryRunOptions,
  type DryRunResult,
  type InputIsolation,
  type MaterializeOptions,
  type MaterializeResult,
  type ResultColumn,
  type SandboxInput,
  type SandboxEnginePoolOptions,
  type SandboxInputColumn,
  type SandboxOptions,
} from './sandbox.js';
export { OutputEngine, type OutputEngineOptions, type Queries } from './engine.js';
export {
  gateOutput,
  measureGate,
  profileOutput,
  suppress,
  type GateDecision,
  type GateMeasurement,
  type GateOptions,
  type GateOutput,
  type GateOutputOptions,
  type GatePlan,
  type OutputProfile,
} from './gate.js';
