/** One figure printed by `npm run bench`, always beside a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline */
  ratio: number;
  /** What "good" means, for example "<= 1.3x" or ">= 20000 msg/s". */
  goal: string;
}
