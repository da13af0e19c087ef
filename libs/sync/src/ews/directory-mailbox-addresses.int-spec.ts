import type { MailboxRef } from '@app/domain';
import { EmbeddedLogStore } from '@app/logstore';
import { testCipher } from '@app/logstore/test-cipher';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIRECTORY_CACHE_ID } from '../sources/directory-cache';
import { DirectoryMailboxAddresses } from './directory-mailbox-addresses';

// The addresses of an EWS-only organisation's mailboxes, read from the directory cache the plan
// stores in the (embedded) log store; its snapshot reads are counted (review N5).
describe('DirectoryMailboxAddresses', () => {
  const TTL = 60_000;
  const tenant = { id: 'org-1', azureTenantId: null };
  const ref = (mailboxId: string): MailboxRef => ({ tenant, mailboxId }) as MailboxRef;
  let dir: string;
  let store: EmbeddedLogStore;
  let reads: jest.SpyInstance;
  let now: number;
  let addresses: DirectoryMailboxAddresses;

  const storeUsers = (users: Record<string, string>) =>
    store.putSnapshot(tenant.id, DIRECTORY_CACHE_ID, {
      items: Object.entries(users).map(([id, mail]) => ({
        sourceKey: id,
        contentHash: '',
        content: { id, mail },
      })),
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailbox-addresses-'));
    store = EmbeddedLogStore.open(join(dir, 'logs.db'), testCipher(), { retentionDays: 30 });
    reads = jest.spyOn(store, 'getSnapshot');
    now = 1_000_000;
    addresses = new DirectoryMailboxAddresses(store, TTL, () => now);
    await storeUsers({ a: 'a@contoso.example', b: 'b@contoso.example' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the snapshot once per tenant and TTL for the mailboxes it holds', async () => {
    expect(await addresses.addressOf(ref('a'))).toBe('a@contoso.example');
    expect(await addresses.addressOf(ref('b'))).toBe('b@contoso.example');
    expect(await addresses.addressOf(ref('a'))).toBe('a@contoso.example');
    expect(reads).toHaveBeenCalledTimes(1);
    now += TTL + 1;
    expect(await addresses.addressOf(ref('a'))).toBe('a@contoso.example');
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('a mailbox gone from the GAL costs one read more, then its answer is kept for the TTL', async () => {
    expect(await addresses.addressOf(ref('a'))).toBe('a@contoso.example');
    expect(reads).toHaveBeenCalledTimes(1);
    // Missing from what was read: read once more (the plan may have stored it since).
    expect(await addresses.addressOf(ref('gone'))).toBeNull();
    expect(reads).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 5; i++) expect(await addresses.addressOf(ref('gone'))).toBeNull();
    expect(reads).toHaveBeenCalledTimes(2);
    // Another missing mailbox reads again once, and keeps the first one's answer.
    expect(await addresses.addressOf(ref('also-gone'))).toBeNull();
    expect(await addresses.addressOf(ref('gone'))).toBeNull();
    expect(await addresses.addressOf(ref('also-gone'))).toBeNull();
    expect(reads).toHaveBeenCalledTimes(3);
    // After the TTL, the miss is asked again.
    now += TTL + 1;
    expect(await addresses.addressOf(ref('gone'))).toBeNull();
    expect(reads).toHaveBeenCalledTimes(4);
    expect(await addresses.addressOf(ref('gone'))).toBeNull();
    expect(reads).toHaveBeenCalledTimes(4);
  });

  it('a mailbox the plan stored after the read is found on its first ask; a kept miss, on the next read', async () => {
    expect(await addresses.addressOf(ref('a'))).toBe('a@contoso.example');
    expect(await addresses.addressOf(ref('late'))).toBeNull();
    await storeUsers({
      a: 'a@contoso.example',
      c: 'c@contoso.example',
      late: 'late@contoso.example',
    });
    // 'late' was missing when read: kept as missing, not read again within the TTL.
    expect(await addresses.addressOf(ref('late'))).toBeNull();
    expect(reads).toHaveBeenCalledTimes(2);
    // 'c' is not in what was read: read again, found; that read has 'late' too.
    expect(await addresses.addressOf(ref('c'))).toBe('c@contoso.example');
    expect(await addresses.addressOf(ref('late'))).toBe('late@contoso.example');
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
