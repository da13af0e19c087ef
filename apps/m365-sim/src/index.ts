/**
 * Programmatic entry point: `startSimulator(options)` starts the simulated Microsoft 365 on
 * HTTPS (port 0 = ephemeral) and resolves with its URLs, CA and a close function.
 */
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveOptions, type SimOptionsInput } from './sim-options';
import { loadOrCreateTls } from './core/tls';
import { SimState } from './sim';
import { Identity } from './identity/routes';
import { GraphHttp } from './graph/http';
import { handleSim, info, type SimInfo } from './inspect';
import { Ews } from './ews';
import { errorBody } from './graph/errors';
import { newRequestId, sendJson, sendText, sleep, escapeHtml } from './core/http';

export type { SimOptionsInput, SimOptions, AppRegistration } from './sim-options';
export type { SimInfo } from './inspect';
export type { FaultConfig } from './core/faults';

export interface RunningSimulator {
  baseUrl: string;
  graphBaseUrl: string;
  ewsUrl: string;
  /** authorityHost for @azure/identity */
  authorityHost: string;
  /** host name to put in the Graph client's customHosts */
  host: string;
  port: number;
  caPath: string;
  caPem: string;
  info: SimInfo;
  state: SimState;
  close(): Promise<void>;
}

type StartListener = (sim: RunningSimulator) => void;
const startListeners = new Set<StartListener>();

/**
 * Calls `listener` with every simulator this process starts from now on (until the returned
 * function is called): lets a test harness inspect every simulator of a test file without the
 * test opting in, e.g. to record and schema-check every EWS response.
 */
export function onSimulatorStarted(listener: StartListener): () => void {
  startListeners.add(listener);
  return () => startListeners.delete(listener);
}

/** The parser reads the socket's 'data' events; this listener only has to exist. */
function keepInStream(): void {}

export async function startSimulator(input: SimOptionsInput = {}): Promise<RunningSimulator> {
  const opts = resolveOptions(input);
  const tls = loadOrCreateTls(opts.dataDir, opts.host);
  const sim = new SimState(opts);
  const identity = new Identity(sim);
  const graph = new GraphHttp(sim);
  const ews = new Ews(sim);

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', sim.baseUrl);
    } catch {
      return sendText(res, 400, 'Bad Request', 'text/plain');
    }
    const path = url.pathname;
    if (path.startsWith('/_sim/') || path === '/_sim')
      return handleSim(sim, tls.caPath, req, res, url);
    // faults apply to Microsoft's endpoints only
    if (sim.faults.takeReset(path)) {
      req.socket.destroy();
      return;
    }
    await sleep(sim.faults.latencyMs(path));
    const burst = sim.faults.takeBurst(path);
    if (burst) {
      req.resume();
      const headers: Record<string, string> = {};
      if (burst.retryAfterSeconds !== undefined)
        headers['Retry-After'] = String(burst.retryAfterSeconds);
      const rid = newRequestId();
      const code =
        burst.status === 504
          ? 'GatewayTimeout'
          : burst.status === 503
            ? 'ServiceUnavailable'
            : 'InternalServerError';
      return sendJson(
        res,
        burst.status,
        errorBody(code, 'The service is temporarily unavailable. (simulated fault)', rid, rid),
        { 'request-id': rid, ...headers },
      );
    }
    if (/^\/v1\.0(\/|$)/i.test(path)) return graph.handle(req, res, url);
    if (path === '/oidc/userinfo') return userInfo(req, res);
    if (/^\/ews\/exchange\.asmx$/i.test(path)) return ews.handle(req, res);
    if (await identity.handle(req, res, url)) return;
    if (path === '/' || path === '') {
      const i = info(sim, tls.caPath);
      return sendText(
        res,
        200,
        `<!doctype html><meta charset="utf-8"><title>m365-sim</title><h1>m365-sim</h1><p>Simulated Microsoft 365 (not Microsoft).</p><pre>${escapeHtml(JSON.stringify(i, null, 2))}</pre>`,
        'text/html; charset=utf-8',
      );
    }
    sendJson(res, 404, { error: { code: 'NotFound', message: `No such endpoint: ${path}` } });
  };

  /** OIDC userinfo (delegated access token): sub, name, given_name, family_name, email. */
  const userInfo = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.resume();
    try {
      const auth = graph.authenticate(req.headers.authorization);
      const u = auth.userId ? auth.tenant.users.get(auth.userId) : undefined;
      if (!u)
        return sendJson(
          res,
          401,
          { error: 'invalid_token' },
          { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        );
      return sendJson(res, 200, {
        sub: u.user.id,
        name: u.user.displayName,
        given_name: u.user.givenName ?? undefined,
        family_name: u.user.surname ?? undefined,
        email: u.user.mail ?? undefined,
      });
    } catch {
      return sendJson(
        res,
        401,
        { error: 'invalid_token' },
        { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      );
    }
  };

  const server = https.createServer(
    { key: tls.keyPem, cert: tls.certPem, keepAliveTimeout: opts.keepAliveTimeoutMs },
    (req, res) => {
      handler(req, res).catch((e) => {
        if (!opts.quiet) console.error('[m365-sim] unhandled', e);
        if (!res.headersSent && !res.destroyed)
          sendJson(res, 500, {
            error: { code: 'generalException', message: 'General exception while processing.' },
          });
        else res.destroy();
      });
    },
  );
  // Node's HTTP server feeds a TLS socket's decrypted records straight into its C++ parser (a
  // "consumed" stream). When a request's headers arrive while the previous response on that
  // keep-alive connection is still counted as unwritten (a TLS write completes a tick after it
  // left, so a quick client is already sending), the server pauses the socket and the parser
  // until it drains. TLSWrap does not stop at the pause: it goes on handing over the records it
  // already decrypted from the same TCP read (a $batch body over 16 KB is two records), the
  // paused parser rejects them (HPE_PAUSED, "Parse Error: Paused") and the valid request gets
  // the bare 400 of 'clientError' below. A 'data' listener makes Node unconsume the socket: the
  // parser then reads from the socket's 'data' events, which a pause does stop, and the rest of
  // the request waits in the stream until the response has drained (microseconds later).
  // https.Server registers its own 'secureConnection' listener first, so this runs after it.
  server.on('secureConnection', (socket: TLSSocket) => socket.on('data', keepInStream));
  server.on('clientError', (err: Error & { code?: string }, socket) => {
    const code = err.code ?? 'unknown';
    sim.httpClientErrors[code] = (sim.httpClientErrors[code] ?? 0) + 1;
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  sim.baseUrl = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const sockets = new Set<import('node:stream').Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  if (opts.infoFile) {
    const fs = await import('node:fs');
    const path = await import('node:path');
    fs.mkdirSync(path.dirname(opts.infoFile), { recursive: true });
    const tmp = `${opts.infoFile}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(info(sim, tls.caPath), null, 2));
    fs.renameSync(tmp, opts.infoFile);
  }
  const running: RunningSimulator = {
    baseUrl: sim.baseUrl,
    graphBaseUrl: `${sim.baseUrl}/v1.0`,
    ewsUrl: `${sim.baseUrl}/EWS/Exchange.asmx`,
    authorityHost: sim.baseUrl,
    host,
    port,
    caPath: tls.caPath,
    caPem: tls.caPem,
    get info() {
      return info(sim, tls.caPath);
    },
    state: sim,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
  for (const listener of startListeners) listener(running);
  return running;
}
