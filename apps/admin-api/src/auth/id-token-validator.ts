import { CodedError } from '@app/domain';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The claims of a validated ID token that we use. */
export interface IdTokenClaims {
  /** Entra tenant (directory) id, lower-case. */
  tid: string;
  /** The user's object id, lower-case. */
  oid: string;
  name?: string;
  preferredUsername?: string;
  /** App roles of our registration assigned to the user (Sync.Admin, Sync.Viewer). */
  roles: string[];
  /**
   * `wids`: the user's active directory roles (role template ids), present only when the app
   * registration's groupMembershipClaims includes directory roles; undefined when absent.
   */
  wids?: string[];
}

/** A Microsoft ID token we do not accept; the message names the check, never the token. */
export class IdTokenRejected extends CodedError {
  constructor(message: string) {
    super('id_token_rejected', message);
  }
}

/**
 * Validates Microsoft ID tokens from the multi-tenant `/organizations` authority: RS256
 * signature against the JWKS, `aud` = our client id, `exp`/`nbf`, `nonce`, and `iss` equal to
 * the discovery issuer template (`…/{tenantid}/v2.0`) with the token's own `tid` substituted
 * — never a disabled issuer check.
 */
export class IdTokenValidator {
  constructor(
    private readonly options: {
      clientId: string;
      /** The discovery document's issuer, e.g. https://login.microsoftonline.com/{tenantid}/v2.0 */
      issuerTemplate: string;
      keys: JWTVerifyGetKey;
      clockToleranceSeconds?: number;
    },
  ) {
    if (!options.issuerTemplate.includes('{tenantid}'))
      throw new Error('issuer template must contain {tenantid}');
  }

  async validate(token: string, expected: { nonce?: string } = {}): Promise<IdTokenClaims> {
    let tid: unknown;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256')
        throw new IdTokenRejected(`algorithm ${String(header.alg)} not accepted`);
      tid = decodeJwt(token).tid;
    } catch (error) {
      if (error instanceof IdTokenRejected) throw error;
      throw new IdTokenRejected('not a JWT');
    }
    if (typeof tid !== 'string' || !GUID.test(tid.toLowerCase()))
      throw new IdTokenRejected('tid claim missing or not a tenant id');
    const issuer = this.options.issuerTemplate.replace('{tenantid}', tid);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        algorithms: ['RS256'],
        audience: this.options.clientId,
        issuer,
        clockTolerance: this.options.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError)
        throw new IdTokenRejected(`${error.code}: ${error.message}`);
      throw error;
    }
    if (payload.tid !== tid) throw new IdTokenRejected('tid changed');
    if (expected.nonce !== undefined && payload.nonce !== expected.nonce)
      throw new IdTokenRejected('nonce does not match');
    const oid = String(payload.oid).toLowerCase();
    if (!GUID.test(oid)) throw new IdTokenRejected('oid claim is not an object id');
    const roles = Array.isArray(payload.roles)
      ? (payload.roles as unknown[]).filter((r): r is string => typeof r === 'string')
      : [];
    return {
      tid: tid.toLowerCase(),
      oid,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      preferredUsername:
        typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
      roles,
      wids: Array.isArray(payload.wids)
        ? (payload.wids as unknown[])
            .filter((r): r is string => typeof r === 'string')
            .map((r) => r.toLowerCase())
        : undefined,
    };
  }
}
