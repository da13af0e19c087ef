import { AdminHarness, type Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS } from './support/admin-sim';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  problems?: Array<{ field: string; message: string }>;
}

/**
 * Finding 5 of the security review: hostile input answered 500. Each input has its own test
 * and must get its 4xx in our error envelope, changing nothing.
 */
describe('hostile input gets a 4xx in the error envelope, never a 500', () => {
  let h: AdminHarness;
  let admin: Browser;
  let listId: string;

  beforeAll(async () => {
    h = await AdminHarness.start();
    admin = h.browser();
    await admin.signIn(h.tenant(0).adminUpn);
    expect((await admin.consent(h.tenant(0).adminUpn)).status).toBe(200);
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Hostile', settings: DIRECTORY_SETTINGS },
    });
    expect(list.status).toBe(201);
    listId = list.body.id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A raw request through the signed-in admin's cookie and CSRF token. */
  function send(
    method: string,
    path: string,
    body: string | Buffer | undefined,
    headers: Record<string, string> = {},
  ) {
    return admin.request<ErrorBody>(method, path, {
      body: body as string | undefined,
      headers,
    });
  }

  async function expectEnvelope(
    answer: { status: number; body: ErrorBody },
    status: number,
    error: string,
  ) {
    expect(`${answer.status} ${answer.status === status ? '' : JSON.stringify(answer.body)}`).toBe(
      `${status} `,
    );
    expect(answer.body).toMatchObject({ statusCode: status, error });
    expect(typeof answer.body.message).toBe('string');
  }

  it('a JSON body over the limit answers 413 naming the body', async () => {
    const before = await h.counts();
    const huge = JSON.stringify({ name: 'x'.repeat(300_000), settings: DIRECTORY_SETTINGS });
    const answer = await send('POST', '/api/lists', huge, { 'content-type': 'application/json' });
    await expectEnvelope(answer, 413, 'too_large');
    expect(answer.body.problems).toEqual([{ field: '(body)', message: expect.any(String) }]);
    expect(await h.counts()).toEqual(before);
  });

  it('a CSV body over ADMIN_BODY_LIMIT_BYTES answers 413', async () => {
    const csv = 'displayName,emailAddresses\n' + 'A,a@example.com\n'.repeat(400_000);
    const answer = await send('POST', `/api/lists/${listId}/entries/csv`, csv, {
      'content-type': 'text/csv',
    });
    await expectEnvelope(answer, 413, 'too_large');
  });

  it('an unknown charset in Content-Type answers 415', async () => {
    const before = await h.counts();
    const answer = await send(
      'POST',
      '/api/lists',
      JSON.stringify({ name: 'Klingon', settings: DIRECTORY_SETTINGS }),
      { 'content-type': 'application/json; charset=klingon' },
    );
    await expectEnvelope(answer, 415, 'unsupported_media_type');
    const csv = await send('POST', `/api/lists/${listId}/entries/csv`, 'displayName\nA\n', {
      'content-type': 'text/csv; charset=klingon',
    });
    await expectEnvelope(csv, 415, 'unsupported_media_type');
    expect(await h.counts()).toEqual(before);
  });

  it('JSON nested 10,000 levels deep answers 400 naming the body', async () => {
    const before = await h.counts();
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const answer = await send('POST', '/api/lists', `{"name":"Deep","settings":${deep}}`, {
      'content-type': 'application/json',
    });
    await expectEnvelope(answer, 400, 'validation_failed');
    expect(answer.body.problems).toEqual([
      { field: '(body)', message: expect.stringMatching(/nested deeper than \d+ levels/) },
    ]);
    const arrays = await send(
      'PATCH',
      `/api/lists/${listId}`,
      `{"settings":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
      { 'content-type': 'application/json' },
    );
    await expectEnvelope(arrays, 400, 'validation_failed');
    expect(await h.counts()).toEqual(before);
  });

  it('a non-ASCII or wrong-length X-CSRF-Token answers 403 csrf', async () => {
    const before = await h.counts();
    for (const token of [
      'é'.repeat(admin.csrf!.length),
      'ü'.repeat(5),
      `${admin.csrf!.slice(0, -1)}é`,
      '',
    ]) {
      const res = await fetch(`${h.baseUrl}/api/lists`, {
        method: 'POST',
        headers: {
          cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/json',
          // undici sends the string's code units as bytes (latin1), as a hostile client would.
          'x-csrf-token': token,
        },
        body: JSON.stringify({ name: 'Csrf', settings: DIRECTORY_SETTINGS }),
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ statusCode: 403, error: 'csrf' });
    }
    expect(await h.counts()).toEqual(before);
  });

  it('malformed JSON, a malformed cookie, bad percent-encoding and prototype keys answer 4xx; the server stays healthy', async () => {
    const bad = await send('POST', '/api/lists', '{"name": "x",', {
      'content-type': 'application/json',
    });
    await expectEnvelope(bad, 400, 'validation_failed');
    const weirdCookie = await h.browser().request<ErrorBody>('GET', '/api/lists', {
      headers: { cookie: 'cs_session=%E0%A4%A; x=%' },
    });
    expect(weirdCookie.status).toBe(401);
    const path = await admin.request<ErrorBody>('GET', `/api/lists/%E0%A4%A`);
    expect(path.status).toBe(400);
    const query = await admin.request<ErrorBody>('GET', `/api/lists?limit=%E0%A4%A`);
    expect(query.status).toBe(400);
    const proto = await send(
      'POST',
      '/api/lists',
      '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"name":"Proto"}',
      { 'content-type': 'application/json' },
    );
    expect(proto.status).toBe(400);
    const live = await fetch(`${h.baseUrl}/health/live`);
    expect(live.status).toBe(200);
  });
});
