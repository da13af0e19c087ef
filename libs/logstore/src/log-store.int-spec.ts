import { TEST_SERVERS } from '@app/config';
import { openEmbeddedHarness } from './embedded-harness';
import { logStoreContract } from './log-store.contract';
import type { LogStoreHarness } from './log-store-harness';
import { openMongoHarness } from './mongo-harness';

// The embedded adapter always runs; MongoDB only where MONGO_URL points at a server (see
// README: a throwaway mongo:7 container). Chosen at load time, so nothing is skipped.
const mongoUrl = TEST_SERVERS.mongoUrl;
const adapters: [string, () => Promise<LogStoreHarness>][] = [
  ['embedded (SQLite)', openEmbeddedHarness],
];
if (mongoUrl) adapters.push(['MongoDB', () => openMongoHarness(mongoUrl)]);

for (const [name, open] of adapters) logStoreContract(name, open);
