import type { HostResolver, ResolvedAddress } from './host-resolver';
import { pinnedLookup } from './post-to-checked-target';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhookTargetRefused } from './webhook-target-refused';

/** A resolver answering from a table (the port's test implementation; no network involved). */
function table(entries: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve(hostname) {
      asked.push(hostname);
      const found = entries[hostname];
      if (!found)
        return Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
      return Promise.resolve(
        found.map(
          (address) => ({ address, family: address.includes(':') ? 6 : 4 }) as ResolvedAddress,
        ),
      );
    },
  };
}

const resolver = table({
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'split.example.com': ['93.184.215.14', '10.0.0.8'],
  'metadata.example.com': ['169.254.169.254'],
  'empty.example.com': [],
});

async function refusal(policy: WebhookTargetPolicy, url: string) {
  try {
    await policy.check(url);
  } catch (error) {
    if (error instanceof WebhookTargetRefused) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

describe('WebhookTargetPolicy', () => {
  const strict = new WebhookTargetPolicy(
    { allowHttp: false, allowPrivateNetworks: false },
    resolver,
  );

  it('accepts an https host whose every address is public, and returns those addresses', async () => {
    const target = await strict.check('https://hooks.example.com/contact-sync');
    expect(target.host).toBe('hooks.example.com');
    expect(target.addresses.map((a) => a.address)).toEqual([
      '93.184.215.14',
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    ]);
  });

  it('refuses http unless allowed', async () => {
    expect(await refusal(strict, 'http://hooks.example.com/')).toMatchObject({
      code: 'WEBHOOK_SCHEME_NOT_ALLOWED',
    });
    const http = new WebhookTargetPolicy(
      { allowHttp: true, allowPrivateNetworks: false },
      resolver,
    );
    await expect(http.check('http://hooks.example.com/')).resolves.toBeDefined();
    // http is no way around the address check
    expect(await refusal(http, 'http://127.0.0.1:8080/')).toMatchObject({
      code: 'WEBHOOK_ADDRESS_NOT_PUBLIC',
    });
  });

  it.each([
    ['https://127.0.0.1/', 'WEBHOOK_ADDRESS_NOT_PUBLIC', /is a non-public address \(loopback\)/],
    ['https://10.0.0.1/', 'WEBHOOK_ADDRESS_NOT_PUBLIC', /private/],
    ['https://169.254.169.254/latest/meta-data/', 'WEBHOOK_ADDRESS_NOT_PUBLIC', /linkLocal/],
    ['https://[::1]/', 'WEBHOOK_ADDRESS_NOT_PUBLIC', /loopback/],
    ['https://[::ffff:127.0.0.1]/', 'WEBHOOK_ADDRESS_NOT_PUBLIC', /ipv4Mapped loopback/],
    ['https://0.0.0.0/', 'WEBHOOK_ADDRESS_UNUSABLE', /unspecified/],
    [
      'https://split.example.com/',
      'WEBHOOK_ADDRESS_NOT_PUBLIC',
      /resolves to a non-public address \(private\)/,
    ],
    [
      'https://metadata.example.com/',
      'WEBHOOK_ADDRESS_NOT_PUBLIC',
      /resolves to a non-public address \(linkLocal\)/,
    ],
    ['https://nowhere.example.com/', 'WEBHOOK_HOST_UNRESOLVED', /does not resolve/],
    ['https://empty.example.com/', 'WEBHOOK_HOST_UNRESOLVED', /does not resolve/],
  ])('refuses %s (%s)', async (url, code, message) => {
    const found = await refusal(strict, url);
    expect(found?.code).toBe(code);
    expect(found?.message).toMatch(message);
  });

  it('with private networks allowed accepts internal receivers but never unusable addresses', async () => {
    const internal = new WebhookTargetPolicy(
      { allowHttp: false, allowPrivateNetworks: true },
      resolver,
    );
    await expect(internal.check('https://127.0.0.1:8443/')).resolves.toBeDefined();
    await expect(internal.check('https://split.example.com/')).resolves.toBeDefined();
    expect(await refusal(internal, 'https://0.0.0.0/')).toMatchObject({
      code: 'WEBHOOK_ADDRESS_UNUSABLE',
    });
  });

  it('does not ask the resolver about IP literals', async () => {
    resolver.asked.length = 0;
    await refusal(strict, 'https://10.0.0.1/');
    await refusal(strict, 'https://[::1]/');
    expect(resolver.asked).toEqual([]);
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup([
    { address: '93.184.215.14', family: 4 },
    { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
  ]);
  const call = (options: unknown) =>
    new Promise<unknown[]>((resolve) =>
      (lookup as unknown as (h: string, o: unknown, cb: (...a: unknown[]) => void) => void)(
        'anything.example',
        options,
        (...args) => resolve(args),
      ),
    );

  it('answers only the checked addresses, whatever the name', async () => {
    expect(await call({ all: true })).toEqual([
      null,
      [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    ]);
    expect(await call({})).toEqual([null, '93.184.215.14', 4]);
    expect(await call({ family: 6 })).toEqual([null, '2606:2800:21f:cb07:6820:80da:af6b:8b2c', 6]);
    expect(await call(4)).toEqual([null, '93.184.215.14', 4]);
  });

  it('fails rather than answer a family that was not checked', async () => {
    const v4only = pinnedLookup([{ address: '93.184.215.14', family: 4 }]);
    const [error] = await new Promise<unknown[]>((resolve) =>
      (v4only as unknown as (h: string, o: unknown, cb: (...a: unknown[]) => void) => void)(
        'x',
        { family: 6 },
        (...args) => resolve(args),
      ),
    );
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('WebhookTargetPolicy with an operator allow-list', () => {
  const policy = new WebhookTargetPolicy(
    { allowHttp: false, allowPrivateNetworks: false, allowedNetworks: ['127.0.0.0/8', 'fd00::/8'] },
    table({ 'feed.internal': ['127.0.0.1'], 'other.internal': ['10.1.2.3'] }),
  );

  it('lets a private address inside an allowed network through, and no other', async () => {
    await expect(policy.check('https://feed.internal/cal.ics')).resolves.toMatchObject({
      host: 'feed.internal',
    });
    await expect(policy.check('https://[fd00::5]/cal.ics')).resolves.toMatchObject({
      host: 'fd00::5',
    });
    expect(await refusal(policy, 'https://other.internal/cal.ics')).toMatchObject({
      code: 'WEBHOOK_ADDRESS_NOT_PUBLIC',
    });
    expect(await refusal(policy, 'https://169.254.169.254/')).toMatchObject({
      code: 'WEBHOOK_ADDRESS_NOT_PUBLIC',
    });
  });
});
