import { CodedError, ERROR_CODE_PATTERN } from '@app/domain';
import { MicrosoftError } from '@app/microsoft';
import { isSqliteBusy } from '@app/persistence';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { API_ERROR_CODES } from './api-error-codes';
import type { ApiErrorBody } from './api-error-body';
import { RateLimited } from './rate-limited.error';

/** One answer of the filter before it is written. */
interface Answer {
  status: number;
  code: string;
  message: string;
  /** Extra top-level fields of the body (problems, retryAfterSeconds...). */
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** The code of each status an HttpException or body-parser error may carry without one of ours. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Every error body of the API is one envelope `{ statusCode, error: <code>, message, ...fields }`.
 * The status comes from the error itself (a CodedError's own status, a Nest HttpException's) or
 * from the code's entry in API_ERROR_CODES; anything else is a 500 carrying an error id that is
 * also in the log line with the stack.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (res.headersSent) return;
    const answer = this.answer(error, req);
    if (!answer) {
      const errorId = randomUUID();
      this.logger.error(
        { errorId, method: req.method, path: req.path, err: error },
        'admin API request failed',
      );
      sendError(res, {
        status: 500,
        code: 'internal',
        message: API_ERROR_CODES.internal!.message!,
        fields: { errorId },
      });
      return;
    }
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    sendError(res, answer);
  }

  private answer(error: unknown, req: Request): Answer | undefined {
    if (isSqliteBusy(error)) {
      // The embedded SQLite stayed locked by another process beyond our retries: a temporary
      // condition, not a bug; nothing was written (the transaction never began).
      this.logger.warn(
        { method: req.method, path: req.path, code: 'SQLITE_BUSY' },
        'database busy',
      );
      return { ...fromTable('database_busy'), headers: { 'Retry-After': '2' } };
    }
    // Before the CodedError lookup: a Graph message and its details stay in the log.
    if (error instanceof MicrosoftError) {
      // The same lookup, in the product's casing; its message and details stay in the log.
      this.logger.warn({ method: req.method, path: req.path, code: error.code }, error.message);
      const code = error.code.toLowerCase();
      return fromTable(API_ERROR_CODES[code] ? code : 'microsoft_unavailable');
    }
    if (error instanceof CodedError) {
      const entry = API_ERROR_CODES[error.code];
      const status = error.status ?? entry?.status;
      // A server-side failure nobody listed is a bug: the 500 with an error id below.
      if (status === undefined || (status >= 500 && !entry)) return undefined;
      if (status >= 500)
        this.logger.warn({ method: req.method, path: req.path, code: error.code }, error.message);
      return {
        status,
        code: error.code,
        message: entry?.message ?? error.message,
        fields: error.details,
      };
    }
    const parserError = bodyParserError(error);
    if (parserError) {
      // body-parser refusals (http-errors): too large, unsupported charset or encoding,
      // malformed body. Client errors, answered in our envelope and naming the body.
      const { status, message } = parserError;
      return {
        status,
        code: STATUS_CODES[status] ?? 'validation_failed',
        message,
        fields: { problems: [{ field: '(body)', message }] },
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status >= 500) return undefined;
      const body = error.getResponse();
      const {
        statusCode: _s,
        error: named,
        message,
        ...rest
      } = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
      const text =
        typeof message === 'string'
          ? message
          : Array.isArray(message)
            ? message.join('; ')
            : error.message;
      // Our own HttpExceptions name their code ({ error: 'forbidden' }); Nest's own ones carry
      // a reason phrase ('Not Found'), replaced by the status's code.
      const ownCode = (error as { code?: unknown }).code;
      const code =
        typeof ownCode === 'string' && ERROR_CODE_PATTERN.test(ownCode)
          ? ownCode
          : typeof named === 'string' && ERROR_CODE_PATTERN.test(named)
            ? named
            : (STATUS_CODES[status] ?? (status === 400 ? 'validation_failed' : 'http_error'));
      const fields: Record<string, unknown> = { ...rest };
      if (status === 400 || status === 413)
        fields.problems ??= [{ field: '(body)', message: text }];
      if (error instanceof RateLimited) {
        fields.retryAfterSeconds = error.retryAfterSeconds;
        return {
          status,
          code,
          message: text,
          fields,
          headers: { 'Retry-After': String(error.retryAfterSeconds) },
        };
      }
      return { status, code, message: text, fields };
    }
    return undefined;
  }
}

function fromTable(code: string): Answer {
  const entry = API_ERROR_CODES[code]!;
  return { status: entry.status, code, message: entry.message ?? entry.meaning };
}

function sendError(res: Response, answer: Answer): void {
  const body: ApiErrorBody = {
    ...answer.fields,
    statusCode: answer.status,
    error: answer.code,
    message: answer.message,
  };
  res.status(answer.status).json(body);
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
