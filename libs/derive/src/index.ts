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
  type DryRunOptions,
  type DryRunResult,
  type InputIsolation,
  type MaterializeOptions,
  type MaterializeResult,
  type ResultColumn,
  type SandboxInput,
  type SandboxInputColumn,
  type SandboxOptions,
} from './sandbox.js';
export {
  measureGate,
  profileOutput,
  suppress,
  type GateMeasurement,
  type GateOptions,
  type GatePlan,
  type OutputProfile,
} from './gate.js';
