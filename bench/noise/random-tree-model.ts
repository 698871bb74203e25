import { buildTreeEnsembleProbabilityModel } from '../../shared/onnx/tree-ensemble-export.js';
import type { DecisionTree } from '../../shared/onnx/tree-ensemble.js';
import { Prng } from '../../synth/prng.js';
import { FEATURE_COUNT } from '../../workers/scoring/feature-schema.js';

/** Shape of a trained gbdt at its defaults: 300 trees, up to 31 leaves (depth 5 gives 32). */
const TREES = 300;
const DEPTH = 5;

/**
 * An ONNX artifact with the size and graph of a default-trained gbdt (TreeEnsembleRegressor + Sigmoid over
 * the scoring features) and random splits: what scoring latency depends on, without a training run.
 * Different seeds give models that score differently.
 */
export function randomTreeModel(seed: number): Uint8Array {
  const random = new Prng(seed, 'rollback-bench-model');
  const trees: DecisionTree[] = [];
  for (let t = 0; t < TREES; t += 1) {
    const tree = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[] };
    const grow = (depth: number): number => {
      const id = tree.left.length;
      const leaf = depth === DEPTH;
      tree.feature.push(leaf ? 0 : random.int(0, FEATURE_COUNT - 1));
      tree.threshold.push(leaf ? 0 : Math.fround(random.uniform(0, 1)));
      tree.value.push(leaf ? Math.fround(random.uniform(-0.05, 0.05)) : 0);
      tree.left.push(-1);
      tree.right.push(-1);
      if (!leaf) {
        tree.left[id] = grow(depth + 1);
        tree.right[id] = grow(depth + 1);
      }
      return id;
    };
    grow(0);
    trees.push(tree);
  }
  return buildTreeEnsembleProbabilityModel({ trees, nFeatures: FEATURE_COUNT, producerName: 'hush-bench' });
}
