export { runBench, type BenchOptions, type BenchResult } from './run-bench';
export { formatTable, writeResult } from './report';
export { TIERS, type Tier, type TierName } from './tiers';
