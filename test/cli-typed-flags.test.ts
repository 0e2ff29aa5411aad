/**
 * The parsed flags are typed from the command's spec: each flag's value has the type its spec
 * gives it, and a flag name the spec does not have is a compile error (the `@ts-expect-error`
 * lines below fail `npm run typecheck` if it stops being one).
 */
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/cli/args.js';
import { applySpec, restoreSpec, rollbackSpec } from '../src/cli/specs.js';

describe('typed flags', () => {
  it('have the types their specs give them, and only the names the specs have', () => {
    const args = parseCommandArgs(applySpec, ['--schema', 's.yaml', '--approve', '--lock-wait', '2']);
    const schema: string | undefined = args.values.schema;
    const approve: boolean | undefined = args.values.approve;
    const lockWait: string | undefined = args.values['lock-wait'];
    expect([schema, approve, lockWait]).toEqual(['s.yaml', true, '2']);
    // @ts-expect-error: a misspelt flag
    expect(args.values['shcema']).toBeUndefined();
    // @ts-expect-error: a boolean flag is not a string
    const wrong: string | undefined = args.values.approve;
    expect(wrong).toBe(true);

    const restore = parseCommandArgs(restoreSpec, ['v1', '--table', 'a', '--table', 'b']);
    const tables: string[] | undefined = restore.values.table;
    expect(tables).toEqual(['a', 'b']);

    const rollback = parseCommandArgs(rollbackSpec, ['--to', 'v1']);
    expect(rollback.values.to).toBe('v1');
    // @ts-expect-error: rollback takes no --schema (its target state is the ledger's)
    expect(rollback.values.schema).toBeUndefined();
  });
});
