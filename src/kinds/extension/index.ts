/**
 * Extensions: `CREATE EXTENSION`, `ALTER EXTENSION … UPDATE / SET SCHEMA`, `DROP EXTENSION`.
 * Anything may use what an extension provides, so its creates run before every other create and
 * its drops after every other drop (but the drop of the schema it lives in).
 */
import { alterExtensionSteps, createExtensionSteps, dropExtensionSteps } from './steps.js';
import { added, changed, dropped } from '../../drift/items.js';
import type { ObjectKind } from '../kind.js';
import type { ExtensionChange } from './changes.js';
import { extensionRefs } from './refs.js';
import { extensionDiff } from './diff.js';
import { extensionFormat } from './format-schema.js';
import { extensionIntrospect } from './introspect.js';
import { extensionModel } from './model.js';
import { extensionRaw } from './raw.js';
import { extensionChecks } from './checks.js';
import { extensionPull } from './pull.js';

export const extensionKind: ObjectKind<ExtensionChange, typeof extensionModel, typeof extensionRefs, 'extension'> = {
  name: 'extension',
  format: extensionFormat,
  introspect: extensionIntrospect,
  model: extensionModel,
  raw: extensionRaw,
  checks: extensionChecks,
  pull: extensionPull,
  refs: extensionRefs,
  diff: extensionDiff,
  phase: { create: 0, drop: 20 },
  enclosesAllExcept: ['schema'],
  changes: {
    create_extension: {
      steps: (c) => createExtensionSteps(c),
      target: (c) => ({ kind: 'extension', name: c.extension.name }),
      sortKey: (c) => c.extension.name,
      describe: (c) => added(c.extension.name, 'extension', c.extension),
    },
    alter_extension: {
      steps: (c) => alterExtensionSteps(c),
      target: (c) => ({ kind: 'extension', name: c.to.name }),
      sortKey: (c) => c.to.name,
      describe: (c) => changed(c.to.name, 'extension', c.from, c.to),
    },
    drop_extension: {
      steps: (c) => dropExtensionSteps(c),
      target: (c) => ({ kind: 'extension', name: c.extension.name }),
      sortKey: (c) => c.extension.name,
      describe: (c) => dropped(c.extension.name, 'extension', c.extension),
    },
  },
  drops: ['drop_extension'],
};
