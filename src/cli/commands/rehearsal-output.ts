/**
 * What `plan --rehearse` prints when its rehearsal starts. Kept apart from apply-output.ts so
 * that `plan` does not load the apply modules that file imports.
 */
import type { RehearsalEvent } from '../../api/rehearse.js';
import { formatCount } from '../../plan/hazards.js';
import type { Io } from '../io.js';

export function printRehearsalEvent(io: Io, event: RehearsalEvent): void {
  if (event.kind === 'rehearsal_skipped') io.err('Nothing to rehearse: the plan is empty.\n');
  else {
    const sample = event.rows !== undefined ? ` and up to ${formatCount(event.rows)} rows of each table` : '';
    io.err(`Rehearsing the plan on a scratch copy of the target's schema${sample}…\n`);
  }
}
