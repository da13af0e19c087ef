import {
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
  createHash,
  X509Certificate,
} from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const kid = createHash('sha256').update(der).digest('base64url').slice(0, 27);
  return { kid, privateKey, publicKey };
}

export function jwk(key: SigningKey): Record<string, unknown> {
  const j = key.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: j.n, e: j.e, alg: 'RS256' };
}

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid };
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const s = sign('RSA-SHA256', Buffer.from(`${h}.${p}`), key.privateKey).toString('base64url');
  return `${h}.${p}.${s}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object')
      return undefined;
    return {
      header,
      payload,
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export function verifyRs256(d: DecodedJwt, key: KeyObject): boolean {
  const alg = d.header.alg;
  try {
    if (alg === 'RS256') return verify('RSA-SHA256', d.signingInput, key, d.signature);
    if (alg === 'PS256') {
      return verify(
        'sha256',
        d.signingInput,
        { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 },
        d.signature,
      );
    }
  } catch {
    return false;
  }
  return false;
}

/** Public key of a PEM certificate or public key. */
export function publicKeyOf(pem: string): KeyObject {
  if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
  return createPublicKey(pem);
}
