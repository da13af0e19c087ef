/**
 * The simulator as a child process of the bench, so its CPU and memory can be read from /proc
 * apart from the bench's own. Options: JSON in BENCH_SIM_OPTIONS. Prints one line
 * `BENCH_SIM_READY <json>` once it listens; SIGTERM closes it.
 */
import { startSimulator, type SimOptionsInput } from '../apps/m365-sim/src';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_SIM_OPTIONS ?? '{}') as SimOptionsInput;
  const sim = await startSimulator({ ...options, port: 0, quiet: true });
  const ready = {
    baseUrl: sim.baseUrl,
    host: sim.host,
    caPath: sim.caPath,
    tenantId: sim.info.tenants[0].id,
    clientId: sim.info.apps[0].clientId,
    clientSecret: sim.info.apps[0].clientSecret,
  };
  process.stdout.write(`BENCH_SIM_READY ${JSON.stringify(ready)}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
