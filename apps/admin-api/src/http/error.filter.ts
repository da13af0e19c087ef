import { Conflict, Forbidden, NotFound, ValidationFailed } from '@app/admin';
import { isSqliteBusy } from '@app/persistence';
import { CsvImportError, ListSettingsError } from '@app/sync';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { RateLimited } from './rate-limited.error';

/**
 * JSON errors of the API: 400 with every bad field, 404 without saying whether the resource
 * exists elsewhere, 409 for conflicts, 429 with Retry-After when rate limited; anything unexpected is a 500 carrying an error id that
 * is also in the log line with the stack.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (res.headersSent) return;
    if (error instanceof ValidationFailed) {
      res.status(400).json({
        statusCode: 400,
        error: 'validation_failed',
        message: 'invalid request',
        problems: error.problems,
      });
      return;
    }
    if (error instanceof ListSettingsError) {
      res.status(400).json({
        statusCode: 400,
        error: 'validation_failed',
        message: 'invalid list settings',
        problems: error.problems.map((p) => ({ field: `settings.${p.field}`, message: p.message })),
      });
      return;
    }
    if (error instanceof CsvImportError) {
      res.status(400).json({
        statusCode: 400,
        error: 'csv_invalid',
        message: 'CSV refused, nothing imported',
        problems: error.problems,
      });
      return;
    }
    if (error instanceof NotFound) {
      res.status(404).json({ statusCode: 404, error: 'not_found', message: error.message });
      return;
    }
    if (error instanceof Forbidden) {
      res.status(403).json({ statusCode: 403, error: error.error, message: error.message });
      return;
    }
    if (error instanceof Conflict) {
      res.status(409).json({
        statusCode: 409,
        error: 'conflict',
        message: error.message,
        problems: error.problems,
      });
      return;
    }
    if (error instanceof RateLimited) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(429).json({
        statusCode: 429,
        error: error.code,
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      });
      return;
    }
    if (isSqliteBusy(error)) {
      // The embedded SQLite stayed locked by another process beyond our retries: a temporary
      // condition, not a bug; nothing was written (the transaction never began).
      this.logger.warn(
        { method: req.method, path: req.path, code: 'SQLITE_BUSY' },
        'database busy',
      );
      res.setHeader('Retry-After', '2');
      res.status(503).json({
        statusCode: 503,
        error: 'database_busy',
        message: 'The database is busy with other writes; nothing was changed. Retry in a moment.',
      });
      return;
    }
    const parserError = bodyParserError(error);
    if (parserError) {
      // body-parser refusals (http-errors): too large, unsupported charset or encoding,
      // malformed body. Client errors, answered in our envelope and naming the body.
      const { status, message } = parserError;
      res.status(status).json({
        statusCode: status,
        error:
          status === 413
            ? 'too_large'
            : status === 415
              ? 'unsupported_media_type'
              : 'validation_failed',
        message,
        problems: [{ field: '(body)', message }],
      });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      if (status === 400 || status === 413) {
        // Body parser refusals (malformed JSON, too large): still one problem naming the body.
        const message =
          typeof body === 'string'
            ? body
            : String((body as { message?: unknown }).message ?? 'invalid request body');
        res.status(status).json({
          statusCode: status,
          error: status === 413 ? 'too_large' : 'validation_failed',
          message,
          problems: [{ field: '(body)', message }],
        });
        return;
      }
      if (status < 500) {
        res
          .status(status)
          .json(
            typeof body === 'string'
              ? { statusCode: status, message: body }
              : { statusCode: status, ...body },
          );
        return;
      }
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, method: req.method, path: req.path, err: error },
      'admin API request failed',
    );
    res.status(500).json({
      statusCode: 500,
      error: 'internal',
      message: 'Something went wrong on our side; quote this error id to support.',
      errorId,
    });
  }
}

/** A client error raised by body-parser / raw-body (an http-errors object that may be shown). */
function bodyParserError(error: unknown): { status: number; message: string } | undefined {
  if (!error || typeof error !== 'object' || error instanceof HttpException) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (e.expose !== true || typeof e.type !== 'string') return undefined;
  const messages: Record<string, string> = {
    'entity.too.large': 'the request body is larger than allowed',
    'charset.unsupported': 'unsupported charset in Content-Type: send UTF-8',
    'encoding.unsupported': 'unsupported Content-Encoding',
    'entity.parse.failed': 'the request body is not valid JSON',
    'entity.verify.failed': 'the request body was refused',
    'request.aborted': 'the request body was not sent completely',
    'request.size.invalid': 'the request body does not match its Content-Length',
  };
  return { status, message: messages[e.type] ?? (error as Error).message };
}
