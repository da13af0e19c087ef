import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { isOperatorSecret } from '../queue-board/operator-credential';
import { parseCookies, SESSION_COOKIE, SessionStore } from '../auth/session-store';

/**
 * The installation's operator (OPERATOR_TOKEN), as `Authorization: Bearer` only: Basic, which
 * the queue board accepts for a browser's prompt, is sent by a browser to any page's request,
 * so a route that creates organisations does not take it. The bearer is compared with the
 * operator's token only (constant time): an API token is never valid here, so it is not looked
 * up either (that would mark it used, or audit a revoked one's use) and gets 401 like any other
 * bearer. A tenant's administrator signed in (session cookie) gets 403, anyone else 401.
 */
@Injectable()
export class InstallationOperatorGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SessionStore) private readonly sessions: SessionStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (isOperatorSecret(bearer, this.config.operatorToken)) return true;
    if (await this.sessionOf(req))
      throw new ForbiddenException({
        error: 'forbidden',
        message:
          "creating organisations is for the installation's operator (OPERATOR_TOKEN), not a tenant's administrators",
      });
    throw new UnauthorizedException({
      error: 'unauthorized',
      message:
        "the installation operator's token is required (Authorization: Bearer <OPERATOR_TOKEN>); an Admin API token is not accepted here",
    });
  }

  private async sessionOf(req: Request): Promise<unknown> {
    const id = this.sessions.unsign(parseCookies(req.header('cookie'))[SESSION_COOKIE]);
    return id ? this.sessions.get(id) : undefined;
  }
}
