import { redactLogText } from './redact-log-text';

describe('redactLogText', () => {
  it('masks tokens, credentials and paging tokens, and keeps the rest of the message', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmNkZWZnaCJ9.c2lnbmF0dXJlX2hlcmU';
    const text = [
      `Graph 401 for ${jwt}`,
      'Authorization: Bearer abcdefgh12345678',
      'GET /users/u/contacts/delta?$deltatoken=AbC123xyz&$select=id',
      'client_secret=s3cr3t-value password=hunter22',
    ].join('\n');
    const out = redactLogText(text);
    for (const secret of [jwt, 'abcdefgh12345678', 'AbC123xyz', 's3cr3t-value', 'hunter22'])
      expect(out).not.toContain(secret);
    expect(out).toContain('Graph 401 for [REDACTED]');
    expect(out).toContain('$select=id');
    expect(out).toContain('Bearer [REDACTED]');
  });

  it('leaves an ordinary engine message as it is', () => {
    const message = 'changed: 3 created, 1 updated, 0 deleted';
    expect(redactLogText(message)).toBe(message);
  });
});
