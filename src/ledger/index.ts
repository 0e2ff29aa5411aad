/** The ledger: its own schema and upgrades, and the versions it records. */
export {
  ADVISORY_KEY,
  ensureLedger,
  LEDGER_FORMAT_VERSION,
  LEDGER_SCHEMA,
  LEDGER_UPGRADES,
  LedgerError,
  ledgerFormatVersion,
} from './ledger-schema.js';
export type { LedgerUpgrade } from './ledger-schema.js';
export {
  findAppliedVersion,
  listVersions,
  readDesiredSnapshot,
  readVersion,
  recordBaseline,
  recordStepsApplied,
  recordVersionApplied,
  recordVersionFailed,
  recordVersionStart,
  versionToJson,
  describeWho,
  whoAmI,
} from './ledger-store.js';
export type { LedgerVersion, NewVersion, StepHash, VersionKind, VersionStatus } from './ledger-store.js';
