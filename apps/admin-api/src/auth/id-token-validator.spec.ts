import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
  type KeyLike,
} from 'jose';
import { IdTokenRejected, IdTokenValidator } from './id-token-validator';

const CLIENT_ID = '7b0c3f0e-5d2a-4c1b-9a6e-2f4d8e1c0a11';
const TID = '11111111-2222-4333-8444-555555555555';
const OTHER_TID = '99999999-2222-4333-8444-555555555555';
const TEMPLATE = 'https://login.example.test/{tenantid}/v2.0';
const OID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe('IdTokenValidator', () => {
  let key: KeyLike;
  let otherKey: KeyLike;
  let validator: IdTokenValidator;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    validator = new IdTokenValidator({
      clientId: CLIENT_ID,
      issuerTemplate: TEMPLATE,
      keys: createLocalJWKSet({ keys: [jwk] }),
    });
  });

  const sign = async (
    claims: Record<string, unknown> = {},
    opts: { key?: KeyLike; exp?: number; nbf?: number } = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      tid: TID,
      oid: OID,
      name: 'Ada',
      roles: ['Sync.Admin'],
      nonce: 'n1',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer((claims.iss as string | undefined) ?? TEMPLATE.replace('{tenantid}', TID))
      .setAudience((claims.aud as string | undefined) ?? CLIENT_ID)
      .setIssuedAt(now)
      .setNotBefore(opts.nbf ?? now)
      .setExpirationTime(opts.exp ?? now + 3600)
      .sign(opts.key ?? key);
  };

  it('accepts a valid token and returns tid, oid and roles', async () => {
    await expect(validator.validate(await sign(), { nonce: 'n1' })).resolves.toMatchObject({
      tid: TID,
      oid: OID,
      roles: ['Sync.Admin'],
    });
  });

  it.each([
    ['a wrong signature', async () => sign({}, { key: otherKey })],
    ['a wrong audience', async () => sign({ aud: 'someone-else' })],
    ['an expired token', async () => sign({}, { exp: Math.floor(Date.now() / 1000) - 600 })],
    ['a token not yet valid', async () => sign({}, { nbf: Math.floor(Date.now() / 1000) + 600 })],
    [
      'an issuer of another tenant than its tid',
      async () => sign({ iss: TEMPLATE.replace('{tenantid}', OTHER_TID) }),
    ],
    ['the raw issuer template', async () => sign({ iss: TEMPLATE })],
    ['a token without tid', async () => sign({ tid: undefined })],
    ['a wrong nonce', async () => sign({ nonce: 'other' })],
    [
      'alg none',
      async () => {
        const body = (await sign()).split('.')[1];
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString(
          'base64url',
        );
        return `${header}.${body}.`;
      },
    ],
    [
      'HS256 signed with the public key material',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ tid: TID, oid: OID, nonce: 'n1' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(TEMPLATE.replace('{tenantid}', TID))
          .setAudience(CLIENT_ID)
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(new TextEncoder().encode('x'.repeat(32)));
      },
    ],
    ['garbage', async () => 'not-a-jwt'],
  ])('rejects %s', async (_name, make) => {
    await expect(validator.validate(await make(), { nonce: 'n1' })).rejects.toBeInstanceOf(
      IdTokenRejected,
    );
  });
});
