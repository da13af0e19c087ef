import { Forbidden, NotFound, ValidationFailed } from '@app/admin';
import { Logger, type ArgumentsHost } from '@nestjs/common';
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
});
