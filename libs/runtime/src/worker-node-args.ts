/**
 * V8 flags every worker process is started with (launcher, compose file, benchmark). Without a
 * cap V8 lets garbage pile up to a size it derives from the machine's memory: a worker held
 * 550 MB RSS in the M-tier benchmark for a live set under 200 MB. Capped at 320 MB of heap it
 * stays near 300 MB RSS at about 5-10 % more CPU for the collector; a sync whose working set
 * outgrew the cap would fail loudly rather than swell unnoticed.
 */
export const WORKER_MAX_OLD_SPACE_MB = 320;

export const WORKER_NODE_ARGS: readonly string[] = [
  `--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB}`,
];
