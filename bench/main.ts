/**
 * npm run bench [-- --tier S|M|L] [--workers N] [--concurrency N] [--seed N] [--mailboxes N --contacts N] [--no-write]
 * See bench/README.md.
 */
import { formatTable, runBench, writeResult } from './index';
import { TIERS, type TierName } from './tiers';

function parse(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
      out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = 'true';
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(
      'npm run bench [-- --tier S|M|L] [--workers N] [--concurrency N] [--seed N] [--mailboxes N --contacts N] [--no-write]',
    );
    return;
  }
  const tier = (args.tier ?? 'M').toUpperCase() as TierName;
  if (!(tier in TIERS)) throw new Error(`--tier must be S, M or L, got ${args.tier}`);
  const int = (name: string): number | undefined => {
    if (args[name] === undefined) return undefined;
    const n = Number(args[name]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a positive integer`);
    return n;
  };
  const result = await runBench({
    tier,
    workers: int('workers'),
    workerConcurrency: int('concurrency'),
    seed: int('seed'),
    mailboxes: int('mailboxes'),
    contacts: int('contacts'),
  });
  const custom = args.mailboxes !== undefined || args.contacts !== undefined;
  console.log(formatTable(result));
  if (custom) console.log("custom sizes: results not written over the tier's");
  else if (args['no-write'] !== 'true') console.log(`written to ${writeResult(result)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
