import { relative } from 'node:path';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';

/** Unit tests first, then the service tests over the in-process table, then the app's integration tests. */
const LAYER_ORDER = ['test/unit/', 'test/integration/services/', 'test/integration/'];

const layerOf = (file: string): number => {
  const at = LAYER_ORDER.findIndex((prefix) => file.startsWith(prefix));
  return at === -1 ? LAYER_ORDER.length : at;
};

/**
 * The order a mutation run gives the test files of one mutant. Stryker's vitest runner stops at the
 * first failing test, so a killed mutant costs only the tests run before the one that fails: the fastest
 * files go first (by layer, then by the last recorded duration, shortest first). Vitest's own order, the
 * longest first, suits a whole suite over several workers, not a mutant that one quick test kills.
 */
export class FastestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (spec: TestSpecification) => relative(root, spec.moduleId).split('\\').join('/');
    const duration = (spec: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${key(spec)}`)?.duration ??
      Number.POSITIVE_INFINITY;
    return [...files].sort(
      (a, b) =>
        layerOf(key(a)) - layerOf(key(b)) || duration(a) - duration(b) || key(a).localeCompare(key(b)),
    );
  }
}
