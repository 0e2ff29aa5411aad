/** Drift: the live database against the ledger's last recorded state and the declared file. */
export { checkDrift, driftOfDatabase, errorReport, DRIFT_EXIT } from './check-drift.js';
export type { CheckDriftOptions, DriftBaseline, DriftReport, DriftState } from './check-drift.js';
export { describeChanges, describeDrift } from './describe-change.js';
export type { DriftItem, DriftObjectKind } from './describe-change.js';
export { checkLine, driftReportJson, renderDriftMarkdown, renderDriftSummary, DRIFT_JSON_FORMAT } from './drift-render.js';
export { CronError, nextCronTime, parseCron, parseInterval } from './cron.js';
export type { CronSchedule } from './cron.js';
export { notifyStateChange, runDriftLoop } from './drift-schedule.js';
export type { LoopOptions, NotifyOptions, Schedule } from './drift-schedule.js';
export { closeSource, compareSources, isDatabaseArgument, openSource } from './compare-sources.js';
export type { Source } from './compare-sources.js';
export { listDriftChecks, recordDriftCheck } from './drift-record.js';
export type { RecordedCheck } from './drift-record.js';
