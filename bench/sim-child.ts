/**
 * The simulator as a child process of the bench, so its CPU and memory can be read from /proc
 * apart from the bench's own. Options: JSON in BENCH_SIM_OPTIONS. Prints one line
 * `BENCH_SIM_READY <json>` once it listens; SIGTERM closes it.
 */
import * as https from 'node:https';
import { startSimulator, type SimOptionsInput } from '../apps/m365-sim/src';

// Report HTTP parse errors Node's server answers itself (400 with an empty body): the bench
// counts them, since the product sees them as a failed request.
{
  const emit = https.Server.prototype.emit;
  https.Server.prototype.emit = function (this: https.Server, event: string, ...args: unknown[]) {
    if (event === 'clientError') {
      const err = args[0] as Error & { code?: string; rawPacket?: Buffer };
      process.stderr.write(
        `BENCH_SIM_CLIENT_ERROR ${err.code} ${err.message} ${err.rawPacket?.toString('latin1').slice(0, 200) ?? ''}\n`,
      );
    }
    return (emit as (...a: unknown[]) => boolean).apply(this, [event, ...args]);
  } as typeof emit;
}

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
    ewsUrl: sim.info.ewsUrl,
    ewsAccount: sim.info.ewsAccounts[0],
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
