/** Apply: the executor, the deployment lock, the hazard gate, apply itself, baseline and status. */
export { describeBlocker, executePlan, retryDelay, StepFailedError, transactionGroups } from './execute.js';
export type { BlockingSession, ExecuteHooks, ExecuteOptions, RetryInfo } from './execute.js';
export {
  acquireDeploymentLock,
  DEPLOYMENT_LOCK,
  DeploymentLockTimeoutError,
  deploymentLockHolders,
  describeHolder,
  isSingleSession,
} from './deployment-lock.js';
export type { AcquireOptions, DeploymentLock, LockHolder } from './deployment-lock.js';
export { allowedKinds, checkHazards, describeMissingHazards, HazardListError, parseAllowedHazards } from './hazard-gate.js';
export type { AllowedHazards, HazardGateResult, MissingHazard } from './hazard-gate.js';
export { applyPlanDocument, describeStale, describeStepFailure } from './apply-plan.js';
export type { ApplyEvent, ApplyOptions, ApplyOutcome, RefusalReason } from './apply-plan.js';
export { describeRepair, resumeApply, stepTarget } from './resume.js';
export type { ResumeEvent, ResumeOptions, ResumeOutcome, ResumeRefusalReason, ResumeRepair, ResumeReport, StepTarget } from './resume.js';
export { baselineDatabase } from './baseline.js';
export type { BaselineOptions, BaselineOutcome } from './baseline.js';
export { databaseStatus } from './status.js';
export type { DatabaseStatus, Health } from './status.js';
export { CatalogLockedError, readLiveSchema } from './live-schema.js';
export { chooseRollbackTarget, describeVersionKind, ledgerKindOf, planRollback, RollbackError, rollbackTargetState } from './rollback.js';
export type { RollbackOptions, RollbackPlan } from './rollback.js';
export type { LiveReadOptions } from './live-schema.js';
export {
  BACKUP_MANIFEST,
  backupFolder,
  BackupSession,
  checkBackups,
  DEFAULT_BACKUP_DIR,
  DEFAULT_BACKUP_LIMIT,
  describeBackupLimit,
  describeBackupProblems,
  openBackupSession,
  parseByteSize,
  readManifest,
} from './backup.js';
export type { BackupCheck, BackupEstimate, BackupFile, BackupManifest, BackupOptions, BackupReport } from './backup.js';
export { describeRestoreRefusal, restoreBackup } from './restore.js';
export type { RestoredObject, RestoreOptions, RestoreOutcome, RestoreRefusalReason } from './restore.js';
export { describeFailedRehearsal, REHEARSAL_DATABASES, rehearsePlan, renderRehearsal } from './rehearse.js';
export type { Rehearsal, RehearsalCopy, RehearsalFailure, RehearsalStepTiming, RehearseOptions } from './rehearse.js';
export { classifyFailure, failureAdvice } from './failure-advice.js';
export type { FailureFix } from './failure-advice.js';
