import { ValidationFailed } from '@app/admin';
import type { NextFunction, Request, Response } from 'express';

/** Deepest nesting of objects and arrays a JSON body may have; our own bodies need about 8. */
export const MAX_JSON_DEPTH = 32;

/**
 * The depth of a parsed JSON value, measured without recursion, stopping at `limit + 1`:
 * JSON.parse takes 100,000 levels, but JSON.stringify, zod and our own walks recurse and would
 * overflow the stack (a 500) on such a body.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object))
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** Refuses (400, naming the body) a JSON body nested deeper than MAX_JSON_DEPTH. */
export function jsonDepthLimit(req: Request, _res: Response, next: NextFunction): void {
  if (
    req.body !== null &&
    typeof req.body === 'object' &&
    jsonDepthExceeds(req.body, MAX_JSON_DEPTH)
  )
    return next(
      new ValidationFailed([
        { field: '(body)', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` },
      ]),
    );
  next();
}
