import { Forbidden, NotFound, ValidationFailed } from '@app/admin';
import { CodedError } from '@app/domain';
import { MicrosoftError } from '@app/microsoft';
import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { ApiErrorFilter } from './error.filter';

function host() {
  const res = {
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const req = { method: 'POST', path: '/api/lists' };
  const h = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
  } as unknown as ArgumentsHost;
  return { h, res };
}

describe('ApiErrorFilter', () => {
  it('answers 500 with an error id that is in the log line', () => {
    const logged: unknown[] = [];
    const spy = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((...args: unknown[]) => void logged.push(args[0]));
    const { h, res } = host();
    new ApiErrorFilter().catch(new Error('database exploded'), h);
    spy.mockRestore();
    const body = res.body as { errorId: string; message: string };
    expect(res.statusCode).toBe(500);
    expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.message).not.toContain('database exploded');
    expect(logged).toEqual([expect.objectContaining({ errorId: body.errorId })]);
  });

  it('maps validation and not-found errors', () => {
    const a = host();
    new ApiErrorFilter().catch(new ValidationFailed([{ field: 'name', message: 'required' }]), a.h);
    expect(a.res.statusCode).toBe(400);
    expect(a.res.body).toMatchObject({ problems: [{ field: 'name', message: 'required' }] });
    const b = host();
    new ApiErrorFilter().catch(new NotFound('list'), b.h);
    expect(b.res.statusCode).toBe(404);
    const c = host();
    new ApiErrorFilter().catch(new Forbidden('operator_forbidden', 'not for operators'), c.h);
    expect(c.res.statusCode).toBe(403);
    expect(c.res.body).toEqual({
      statusCode: 403,
      error: 'operator_forbidden',
      message: 'not for operators',
    });
  });

  it("answers Nest's own exceptions (an unknown route) with a code, not a reason phrase", () => {
    const a = host();
    new ApiErrorFilter().catch(new NotFoundException('Cannot GET /nope'), a.h);
    expect(a.res.statusCode).toBe(404);
    expect(a.res.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'Cannot GET /nope',
    });
  });

  it("looks codes up: a CodedError's own status and details, MicrosoftError through the table", () => {
    const a = host();
    const err = new CodedError('tenant_mismatch', 'other org', {
      status: 400,
      details: { hint: 'x' },
    });
    new ApiErrorFilter().catch(err, a.h);
    expect(a.res.body).toEqual({
      statusCode: 400,
      error: 'tenant_mismatch',
      message: 'other org',
      hint: 'x',
    });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const b = host();
    new ApiErrorFilter().catch(new MicrosoftError('THROTTLED', 'graph 429 details'), b.h);
    const c = host();
    new ApiErrorFilter().catch(new MicrosoftError('GRAPH_ERROR', 'graph said secret-ish'), c.h);
    warn.mockRestore();
    expect(b.res.statusCode).toBe(503);
    expect(b.res.body).toMatchObject({ error: 'throttled' });
    expect(c.res.statusCode).toBe(502);
    expect(c.res.body).toMatchObject({ error: 'microsoft_unavailable' });
    expect(JSON.stringify(c.res.body)).not.toContain('secret-ish');
  });

  it("an EWS-only organisation's directory configuration problems are 409s with advice, not a 502", () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const answers = (['EWS_DIRECTORY_NOT_CONFIGURED', 'EWS_DIRECTORY_UNSUPPORTED'] as const).map(
      (code) => {
        const a = host();
        new ApiErrorFilter().catch(new MicrosoftError(code, 'group g-1 is not in the GAL'), a.h);
        return [a.res.statusCode, (a.res.body as { error: string; message: string }).error];
      },
    );
    warn.mockRestore();
    expect(answers).toEqual([
      [409, 'ews_directory_not_configured'],
      [409, 'ews_directory_unsupported'],
    ]);
  });

  it('answers an unlisted server-side CodedError as internal with an error id', () => {
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const a = host();
    new ApiErrorFilter().catch(new CodedError('config_invalid', 'DATABASE_URL: bad'), a.h);
    spy.mockRestore();
    expect(a.res.statusCode).toBe(500);
    expect(a.res.body).toMatchObject({ error: 'internal', errorId: expect.any(String) });
    expect(JSON.stringify(a.res.body)).not.toContain('DATABASE_URL');
  });
});
