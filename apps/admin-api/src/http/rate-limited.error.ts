import { ThrottlerException } from '@nestjs/throttler';

/** 429 from the rate limiter; the error filter turns it into our envelope plus Retry-After. */
export class RateLimited extends ThrottlerException {
  readonly code = 'rate_limited';

  constructor(
    /** Whole seconds until the caller's window ends (at least 1). */
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}
