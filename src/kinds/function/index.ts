/** Functions and procedures: create, replace (`CREATE OR REPLACE`, or drop + create when the signature's result changes), drop. */
import { createFunctionSteps, dropFunctionSteps, replaceFunctionSteps } from './steps.js';
import { added, changed, dropped, fnName } from '../../drift/items.js';
import { functionKey, functionRef } from '../../model/object-ref.js';
import type { ObjectKind } from '../kind.js';
import { functionCommentOn } from './comment-on.js';
import type { FunctionChange } from './changes.js';
import { functionRefs } from './refs.js';
import { functionDiff } from './diff.js';
import { functionFormat } from './format-schema.js';
import { functionIntrospect } from './introspect.js';
import { functionModel } from './model.js';
import { functionRaw } from './raw.js';
import { functionChecks } from './checks.js';
import { functionPull } from './pull.js';

export const functionKind: ObjectKind<FunctionChange, typeof functionModel, typeof functionRefs, 'function'> = {
  name: 'function',
  format: functionFormat,
  introspect: functionIntrospect,
  model: functionModel,
  raw: functionRaw,
  checks: functionChecks,
  pull: functionPull,
  refs: functionRefs,
  diff: functionDiff,
  phase: { create: 3, drop: 17 },
  commentOn: functionCommentOn,
  changes: {
    create_function: {
      steps: createFunctionSteps,
      target: (c) => functionRef(c.fn),
      sortKey: (c) => functionKey(c.fn),
      describe: (c) => added(fnName(c.fn), 'function', c.fn),
    },
    replace_function: {
      steps: replaceFunctionSteps,
      target: (c) => functionRef(c.to),
      sortKey: (c) => functionKey(c.to),
      describe: (c) => changed(fnName(c.to), 'function', c.from, c.to),
    },
    drop_function: {
      steps: dropFunctionSteps,
      target: (c) => functionRef(c.fn),
      sortKey: (c) => functionKey(c.fn),
      describe: (c) => dropped(fnName(c.fn), 'function', c.fn),
    },
  },
  drops: ['drop_function'],
  covers: ['procedure'],
};
