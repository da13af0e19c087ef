import { ApiTokensService } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SyncQueues } from '@app/queue';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseCookies, SESSION_COOKIE, SessionStore } from '../auth/session-store';
import { isOperatorSecret, presentedSecret } from './operator-credential';

/** Where the board is mounted, outside /api: it is the installation's page, not a tenant's. */
export const QUEUE_BOARD_PATH = '/ops/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bull Board over the product's queues, for the operators of the installation only: they
 * prove it with OPERATOR_TOKEN (Authorization: Bearer, or Basic with the token as password, so
 * a browser can sign in through its own prompt). A tenant's administrator (session or API
 * token) gets 403: the queues hold every tenant's jobs. Anyone else gets 401 with a Basic
 * challenge. A state-changing request from a browser must come from the board's own origin
 * (Basic credentials are sent by the browser to any page's request).
 */
@Injectable()
export class QueueBoard {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(ApiTokensService) private readonly tokens: ApiTokensService,
  ) {}

  private router?: RequestHandler;

  /** Mount at QUEUE_BOARD_PATH: the gate, then the board (built on first use). */
  handle(req: Request, res: Response, next: NextFunction): void {
    this.router ??= this.createRouter();
    const router = this.router;
    this.admit(req, res, () => router(req, res, next)).catch(next);
  }

  private createRouter(): RequestHandler {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    const q = this.queues;
    createBullBoard({
      queues: [q.planRun, q.syncMailbox, q.finishRun, q.importCsv, q.advanceCleanup].map(
        (queue) => new BullMQAdapter(queue),
      ),
      // @bull-board/express 9.10.1 pins its own @bull-board/api 9.10.1 (ours is 9.10.2): the same
      // interface, declared twice, so the compiler sees two types.
      serverAdapter: serverAdapter as unknown as Parameters<
        typeof createBullBoard
      >[0]['serverAdapter'],
      options: { uiConfig: { boardTitle: 'Contact Sync Fleet queues' } },
    });
    return serverAdapter.getRouter() as RequestHandler;
  }

  private async admit(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (isOperatorSecret(presentedSecret(req.header('authorization')), this.config.operatorToken)) {
      if (!SAFE_METHODS.has(req.method) && !sameOrigin(req)) {
        deny(res, 403, 'forbidden', 'a change to the queues must come from the board itself');
        return;
      }
      next();
      return;
    }
    if (await this.isTenantUser(req)) {
      deny(
        res,
        403,
        'forbidden',
        "the queue board is for the installation's operators (OPERATOR_TOKEN), not a tenant's administrators",
      );
      return;
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="queue board", charset="UTF-8"');
    deny(res, 401, 'unauthorized', 'the installation operator token is required');
  }

  /** A valid API token or signed-in session: someone of a tenant, whatever their role. */
  private async isTenantUser(req: Request): Promise<boolean> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (bearer && (await this.tokens.authenticate(bearer[1]))) return true;
    const sessionId = this.sessions.unsign(parseCookies(req.header('cookie'))[SESSION_COOKIE]);
    return !!sessionId && !!(await this.sessions.get(sessionId));
  }
}

function sameOrigin(req: Request): boolean {
  const origin = req.header('origin');
  if (origin === undefined) return req.header('sec-fetch-site') !== 'cross-site';
  try {
    return new URL(origin).host === req.header('host');
  } catch {
    return false;
  }
}

function deny(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ statusCode: status, error, message });
}
