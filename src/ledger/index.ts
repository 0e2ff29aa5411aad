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
  readPlanDocumentJson,
  readVersion,
  recordBackups,
  recordResume,
  recordBaseline,
  recordStepsApplied,
  recordVersionApplied,
  recordVersionFailed,
  recordVersionStart,
  versionToJson,
  describeWho,
  whoAmI,
} from './ledger-store.js';
export type { BackupRecord, LedgerVersion, NewVersion, ResumeEntry, StepHash, VersionKind, VersionStatus } from './ledger-store.js';
