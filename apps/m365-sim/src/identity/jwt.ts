import {
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
  createHash,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import * as forge from 'node-forge';

export interface SigningKey {
  /** the certificate's SHA-1 thumbprint, base64url: Entra's keys use it as both `kid` and `x5t` */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** the self-signed certificate of the key, DER in base64 (the JWKS's `x5c`) */
  certificate: string;
}

/**
 * A token signing key with its self-signed certificate, as Entra ID publishes its keys: the
 * JWKS entry carries `x5c` (the certificate chain) and `x5t` = `kid` = the SHA-1 thumbprint.
 * https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-signature
 */
export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  );
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86400_000);
  const attrs = [{ name: 'commonName', value: 'accounts.accesscontrol.windows.net (m365-sim)' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(
    forge.pki.privateKeyFromPem(
      privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const kid = createHash('sha1').update(der).digest('base64url');
  return { kid, privateKey, publicKey, certificate: der.toString('base64') };
}

export function jwk(key: SigningKey, issuer?: string): Record<string, unknown> {
  const j = key.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const out: Record<string, unknown> = {
    kty: 'RSA',
    use: 'sig',
    kid: key.kid,
    x5t: key.kid,
    n: j.n,
    e: j.e,
    x5c: [key.certificate],
  };
  if (issuer) out.issuer = issuer;
  return out;
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
