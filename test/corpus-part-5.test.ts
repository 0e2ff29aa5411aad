/** Part 5 of 6 of the plan corpus (test/cases/): see test/support/corpus-run.ts for what each case checks. */
import { registerCorpusTests } from './support/corpus-run.js';

registerCorpusTests(5, 6);
