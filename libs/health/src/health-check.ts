export interface CheckResult {
  status: 'up' | 'down';
  error?: string;
  [detail: string]: unknown;
}

/** Resolves within `ms` or rejects: a hung dependency must not hang the probe. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
