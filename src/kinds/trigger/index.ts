/** Triggers: create, replace (drop and create in one transaction), rename, enable / disable, drop. */
import { createTriggerSteps, dropTriggerSteps, renameTriggerSteps, replaceTriggerSteps, setTriggerEnabledSteps } from './steps.js';
import { added, changed, dropped, on, renamed, sameName } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import { triggerCommentOn } from './comment-on.js';
import type { TriggerChange } from './changes.js';
import { triggerRefs } from './refs.js';
import { triggerDiff } from './diff.js';
import { triggerFormat } from './format-schema.js';
import { sortPath, tableMemberRef } from '../shared.js';
import { triggerModel } from './model.js';
import { triggerRaw } from './raw.js';
import { triggerChecks } from './checks.js';
import { triggerPull } from './pull.js';
import { triggerIntrospect } from './introspect.js';

export const triggerKind: ObjectKind<TriggerChange, typeof triggerModel, typeof triggerRefs, 'trigger'> = {
  name: 'trigger',
  format: triggerFormat,
  model: triggerModel,
  raw: triggerRaw,
  checks: triggerChecks,
  pull: triggerPull,
  refs: triggerRefs,
  diff: triggerDiff,
  introspect: triggerIntrospect,
  phase: { create: 9, drop: 12 },
  commentOn: triggerCommentOn,
  changes: {
    rename_trigger: {
      steps: renameTriggerSteps,
      target: (c) => tableMemberRef('trigger', c.table, c.to),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to),
      describe: (c) => renamed(on(c.table, c.to), 'trigger', c.from, c.to),
      renames: true,
    },
    create_trigger: {
      steps: createTriggerSteps,
      target: (c) => tableMemberRef('trigger', c.table, c.trigger.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.trigger.name),
      describe: (c) => added(on(c.table, c.trigger.name), 'trigger', c.trigger),
    },
    replace_trigger: {
      steps: replaceTriggerSteps,
      target: (c) => tableMemberRef('trigger', c.table, c.to.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.to.name),
      describe: (c) => changed(on(c.table, c.to.name), 'trigger', c.from, c.to),
    },
    set_trigger_enabled: {
      steps: setTriggerEnabledSteps,
      target: (c) => tableMemberRef('trigger', c.table, c.trigger),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.trigger),
      describe: (c, from) => {
        const live = from.tables.find((t) => sameName(t, c.table))?.triggers.find((g) => g.name === c.trigger);
        return [
          {
            object: on(c.table, c.trigger),
            kind: 'trigger',
            action: 'changed',
            what: ['enabled'],
            before: { enabled: live?.enabled ?? null },
            after: { enabled: c.enabled },
          },
        ];
      },
    },
    drop_trigger: {
      steps: dropTriggerSteps,
      target: (c) => tableMemberRef('trigger', c.table, c.trigger.name),
      sortKey: (c) => sortPath(c.table.schema, c.table.name, c.trigger.name),
      describe: (c) => dropped(on(c.table, c.trigger.name), 'trigger', c.trigger),
    },
  },
  drops: ['drop_trigger'],
};
