import pino from 'pino';
import { Writable } from 'node:stream';
import { buildLoggerOptions } from './logger-options';

function capture(): {
  stream: Writable;
  lines: () => Array<Record<string, unknown>>;
  raw: () => string;
} {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return {
    stream,
    raw: () => text,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('buildLoggerOptions', () => {
  it('writes JSON lines with level label, service and ISO time', () => {
    const out = capture();
    pino(buildLoggerOptions('worker', 'info'), out.stream).info(
      { tenantId: 't1', runId: 'r1' },
      'hello',
    );
    expect(out.lines()[0]).toMatchObject({
      level: 'info',
      service: 'worker',
      tenantId: 't1',
      runId: 'r1',
      msg: 'hello',
    });
    expect(String(out.lines()[0].time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts secrets in requests, at the top level and nested', () => {
    const out = capture();
    const logger = pino(buildLoggerOptions('admin-api', 'info'), out.stream);
    logger.info({
      req: {
        headers: {
          authorization: 'Bearer eyJsecret',
          cookie: 'sid=cookie-secret',
          'stripe-signature': 't=1,v1=sig-secret',
        },
      },
      res: { headers: { 'set-cookie': 'sid=set-cookie-secret' } },
      password: 'pw-secret',
      ews: { password: 'ews-secret', username: 'svc' },
      credentials: { clientSecret: 'client-secret', token: { accessToken: 'at-secret' } },
      tokens: { refresh_token: 'rt-secret', access_token: 'at2-secret' },
      deep: { a: { client_secret: 'deep-secret' } },
    });
    const raw = out.raw();
    for (const secret of [
      'eyJsecret',
      'cookie-secret',
      'sig-secret',
      'set-cookie-secret',
      'pw-secret',
      'ews-secret',
      'client-secret',
      'at-secret',
      'rt-secret',
      'at2-secret',
      'deep-secret',
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(raw).toContain('"username":"svc"');
    expect(raw).toContain('[REDACTED]');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = pino(buildLoggerOptions('worker', 'warn'), out.stream);
    logger.info('quiet');
    logger.warn('loud');
    expect(out.lines().map((l) => l.msg)).toEqual(['loud']);
  });
});
