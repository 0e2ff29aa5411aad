import { checkHazards, HazardListError, parseAllowedHazards } from '../../apply/hazard-gate.js';
import { whoAmI } from '../../ledger/ledger-store.js';
import { planHazardKinds } from '../../plan/build-plan.js';
import { PlanFileError } from '../../plan/errors.js';
import type { HazardKind } from '../../plan/hazards.js';
import { readPlanFile, withApproval, writePlanFile } from '../../plan/plan-file.js';
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../io.js';
import { APPROVE_EXIT } from '../exit-codes.js';
import type { approveSpec } from '../specs.js';
import { pathIn } from '../flags.js';

export async function runApprove(args: ParsedArgs<typeof approveSpec>, io: Io): Promise<number> {
  const path = args.positionals[0];
  if (path === undefined) throw new UsageError('which plan file? pgreconcile approve PLANFILE --allow-hazards LIST');
  let allow: 'all' | readonly HazardKind[] = [];
  const raw = args.values['allow-hazards'];
  if (raw !== undefined) {
    try {
      allow = parseAllowedHazards(String(raw));
    } catch (error) {
      if (error instanceof HazardListError) throw new UsageError(`${error.message}`);
      throw error;
    }
  }
  let doc;
  try {
    doc = await readPlanFile(pathIn(io, path), path);
  } catch (error) {
    if (error instanceof PlanFileError && /changed after it was written/.test(error.message)) {
      io.err(`pgreconcile approve: refused: ${error.message}\n`);
      return APPROVE_EXIT.refused;
    }
    throw error;
  }
  const kinds = allow === 'all' ? planHazardKinds(doc.plan) : [...allow];
  const by = args.values['by']?.trim() || whoAmI().osUser;
  const approved = withApproval(doc, { by, at: new Date().toISOString(), allowed_hazards: kinds });
  await writePlanFile(approved, pathIn(io, path));
  io.out(`Approved plan ${doc.id} by ${by}: allowed hazards ${kinds.length > 0 ? kinds.join(', ') : '(none)'}.\n`);
  const gate = checkHazards(approved.plan, undefined, approved.approval);
  if (gate.kind === 'refused') {
    const rest = gate.missing.map((m) => `${m.kind} (steps ${m.steps.join(', ')})`).join(', ');
    io.err(`Not approved, still needed at apply time with --allow-hazards: ${rest}\n`);
  }
  io.out(`Apply it with: pgreconcile apply ${path}\n`);
  return APPROVE_EXIT.approved;
}
