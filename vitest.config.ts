import { defineConfig } from 'vitest/config';
import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';

/**
 * The files that take longest (a fresh clone's `.ci/run`, two workers), longest first. Vitest
 * orders files by their last run's duration when it has one and by size otherwise, which, in a
 * fresh clone, starts the four-line corpus files last: the slowest work then runs at the end, with
 * one worker idle. Starting these first lets the short files fill in around them.
 */
const SLOWEST_FIRST = [
  'test/injection.test.ts',
  'test/corpus-part-1.test.ts',
  'test/corpus-part-2.test.ts',
  'test/corpus-part-3.test.ts',
  'test/corpus-part-4.test.ts',
  'test/corpus-part-5.test.ts',
  'test/corpus-part-6.test.ts',
  'test/readme-quickstart.test.ts',
  'test/apply-resume.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const i = SLOWEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    // A stable sort: the rest keep the order vitest gave them.
    return sorted
      .map((file, i) => ({ file, i }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i)
      .map((x) => x.file);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Guards against a hang, never a measure of speed: a busy machine is slow, not wrong.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    globalSetup: ['test/support/global-setup.ts'],
    sequence: { sequencer: SlowestFirst },
  },
});
