import { isOperatorSecret, presentedSecret } from './operator-credential';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('operator credential', () => {
  it('takes the secret from Bearer or from the Basic password', () => {
    expect(presentedSecret('Bearer abc')).toBe('abc');
    expect(presentedSecret('bearer  abc')).toBe('abc');
    expect(presentedSecret(basic('ops:s3cret:with:colons'))).toBe('s3cret:with:colons');
    expect(presentedSecret(basic('no-colon'))).toBeUndefined();
    expect(presentedSecret('Digest x')).toBeUndefined();
    expect(presentedSecret(undefined)).toBeUndefined();
  });

  it('matches only the configured secret, and nothing when none is configured', () => {
    const secret = 'x'.repeat(40);
    expect(isOperatorSecret(secret, secret)).toBe(true);
    expect(isOperatorSecret(`${secret}y`, secret)).toBe(false);
    expect(isOperatorSecret('', secret)).toBe(false);
    expect(isOperatorSecret(undefined, secret)).toBe(false);
    expect(isOperatorSecret(secret, undefined)).toBe(false);
  });
});
