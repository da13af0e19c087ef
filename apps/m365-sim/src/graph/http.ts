/** HTTP glue for Graph: bearer token validation, body, error format, headers, faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthContext, SimState } from '../sim';
import { decodeJwt, verifyRs256 } from '../identity/jwt';
import { graphAccessTokenIssuer } from '../identity/issuers';
import { headerValue, newRequestId, readBody, BodyTooLarge } from '../core/http';
import { errorBody, GraphError } from './errors';
import { GraphDispatcher } from './dispatch';
import { runBatch } from './batch';
import type { GRes } from './types';

const JSON_CT =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphHttp {
  readonly dispatcher: GraphDispatcher;
  private tokenCache = new Map<string, Record<string, unknown>>();

  constructor(private sim: SimState) {
    this.dispatcher = new GraphDispatcher(sim);
  }

  authenticate(authz: string | undefined): AuthContext {
    const m = /^Bearer\s+(.+)$/i.exec(authz ?? '');
    if (!m)
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Access token is empty.',
        this.challenge(),
      );
    const token = m[1].trim();
    let claims = this.tokenCache.get(token);
    if (!claims) {
      const d = decodeJwt(token);
      if (!d)
        throw new GraphError(
          401,
          'InvalidAuthenticationToken',
          'IDX14100: JWT is not well formed, there are no dots (.).',
          this.challenge(),
        );
      if (d.header.kid !== this.sim.key.kid || !verifyRs256(d, this.sim.key.publicKey)) {
        throw new GraphError(
          401,
          'InvalidAuthenticationToken',
          'Access token validation failure. Invalid signature.',
          this.challenge(),
        );
      }
      claims = d.payload;
      if (this.tokenCache.size > 10000) this.tokenCache.clear();
      this.tokenCache.set(token, claims);
    }
    const now = Math.floor(Date.now() / 1000);
    if (
      claims.aud !== 'https://graph.microsoft.com' &&
      claims.aud !== '00000003-0000-0000-c000-000000000000'
    ) {
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid audience.',
        this.challenge(),
      );
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now) {
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
        this.challenge(),
      );
    }
    if (typeof claims.nbf === 'number' && claims.nbf > now + 300) {
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is not yet valid.',
        this.challenge(),
      );
    }
    const tenant = this.sim.tenantsById.get(String(claims.tid));
    if (!tenant || claims.iss !== graphAccessTokenIssuer(tenant.id))
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. Invalid issuer.',
        this.challenge(),
      );
    if (tenant.tokensNotBefore && Number(claims.iat ?? 0) < tenant.tokensNotBefore)
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
        this.challenge(),
      );
    const appOnly = claims.idtyp === 'app' || !claims.scp;
    return {
      tenant,
      clientId: String(claims.appid ?? ''),
      roles: new Set(Array.isArray(claims.roles) ? (claims.roles as string[]) : []),
      scopes: new Set(typeof claims.scp === 'string' ? claims.scp.split(' ') : []),
      userId: appOnly ? undefined : String(claims.oid),
      appOnly,
    };
  }

  private challenge(): Record<string, string> {
    return {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${this.sim.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const receivedAt = Date.now();
    const requestId = newRequestId();
    const clientRequestId = headerValue(req.headers['client-request-id']) ?? requestId;
    const baseHeaders: Record<string, string> = {
      'request-id': requestId,
      'client-request-id': clientRequestId,
      'x-ms-ags-diagnostic': JSON.stringify({
        ServerInfo: {
          DataCenter: 'Simulated',
          Slice: 'E',
          Ring: '0',
          ScaleUnit: '000',
          RoleInstance: 'SIM',
        },
      }),
      'Cache-Control': 'no-cache',
      'Strict-Transport-Security': 'max-age=31536000',
    };
    const method = (req.method ?? 'GET').toUpperCase();
    let result: GRes;
    try {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (e) {
        if (e instanceof BodyTooLarge)
          throw new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.');
        throw e;
      }
      const auth = this.authenticate(headerValue(req.headers.authorization));
      const path = url.pathname.replace(/^\/v1\.0/i, '') || '/';
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      if (path === '/$batch') {
        if (method !== 'POST')
          throw new GraphError(
            405,
            'Request_BadRequest',
            `The HTTP method '${method}' is not supported for this resource.`,
          );
        let payload: unknown;
        try {
          payload = JSON.parse(body.toString('utf8'));
        } catch {
          throw new GraphError(
            400,
            'BadRequest',
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
          );
        }
        result = await runBatch(
          this.sim,
          this.dispatcher,
          payload,
          auth,
          clientRequestId,
          receivedAt,
        );
      } else {
        result = await this.dispatcher.dispatch(
          {
            method,
            path,
            query: url.searchParams,
            headers,
            body: body.length ? body : undefined,
            receivedAt,
          },
          auth,
        );
      }
    } catch (e) {
      if (e instanceof GraphError) {
        result = {
          status: e.status,
          headers: e.headers,
          body: errorBody(e.code, e.message, requestId, clientRequestId),
        };
      } else {
        if (!this.sim.opts.quiet) console.error('[m365-sim] graph handler error', e);
        result = {
          status: 500,
          body: errorBody(
            'generalException',
            'General exception while processing.',
            requestId,
            clientRequestId,
          ),
        };
      }
    }
    if (
      method !== 'GET' &&
      result.status < 300 &&
      this.sim.faults.takeDropAfterWrite(method, url.pathname)
    ) {
      // the write was applied; the client never hears about it
      req.socket.destroy();
      return;
    }
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...baseHeaders, ...(result.headers ?? {}) };
    if (result.raw) {
      headers['Content-Type'] = result.contentType ?? 'application/octet-stream';
      headers['Content-Length'] = String(result.raw.length);
      res.writeHead(result.status, headers);
      res.end(result.raw);
      return;
    }
    if (result.body === undefined || result.status === 204) {
      headers['Content-Length'] = '0';
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    headers['Content-Type'] = JSON_CT;
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(result.status, headers);
    res.end(text);
  }
}
