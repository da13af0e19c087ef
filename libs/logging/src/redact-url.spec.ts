import pino from 'pino';
import { Writable } from 'node:stream';
import { httpSerializers } from './http-serializers';
import { redactQuery, redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('replaces codes, states and tokens in query strings, keeping the rest', () => {
    expect(
      redactUrl('/api/auth/callback?code=simcode_abc&state=csst_xyz&session_state=s1&x=1'),
    ).toBe('/api/auth/callback?code=[REDACTED]&state=[REDACTED]&session_state=[REDACTED]&x=1');
    expect(
      redactUrl(
        'https://login.example/t/oauth2/v2.0/authorize?client_id=c&state=csst_1&nonce=n&code_challenge=cc#frag',
      ),
    ).toBe(
      'https://login.example/t/oauth2/v2.0/authorize?client_id=c&state=[REDACTED]&nonce=[REDACTED]&code_challenge=[REDACTED]#frag',
    );
    expect(redactUrl('/api/onboarding/callback?admin_consent=True&tenant=t&STATE=x')).toBe(
      '/api/onboarding/callback?admin_consent=True&tenant=t&STATE=[REDACTED]',
    );
    expect(redactUrl('/api/lists?limit=5')).toBe('/api/lists?limit=5');
    expect(redactUrl('/x?%63ode=secret&%E0=1')).toBe('/x?%63ode=[REDACTED]&%E0=1');
  });

  it('replaces the same parameters in a parsed query', () => {
    expect(redactQuery({ code: 'c', state: 's', limit: '5' })).toEqual({
      code: '[REDACTED]',
      state: '[REDACTED]',
      limit: '5',
    });
  });

  it('pino-http style serializers leave no code, state or CSRF token in a line', () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        text += chunk;
        done();
      },
    });
    const { REDACT_PATHS } = jest.requireActual<typeof import('./redact-paths')>('./redact-paths');
    const logger = pino({ redact: REDACT_PATHS, serializers: httpSerializers }, stream);
    logger.info({
      req: {
        url: '/api/auth/callback?code=simcode_secret&state=csst_secret',
        query: { code: 'simcode_secret', state: 'csst_secret' },
        headers: { 'x-csrf-token': 'csrf-secret' },
      },
      res: { headers: { location: 'https://sim/authorize?state=csst_secret2' } },
    });
    for (const secret of ['simcode_secret', 'csst_secret', 'csrf-secret'])
      expect(text).not.toContain(secret);
    expect(text).toContain('/api/auth/callback?code=[REDACTED]');
  });
});
