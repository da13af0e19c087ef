import { redactQuery, redactUrl } from './redact-url';

interface SerializedReq {
  url?: string;
  query?: unknown;
  [key: string]: unknown;
}
interface SerializedRes {
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * pino-http serializers (applied after pino's standard ones): request URLs and queries, and
 * redirect locations, without authorization codes, states or tokens. The sign-in and consent
 * callbacks carry them in their query strings, and /api/auth/login redirects with a state.
 */
export const httpSerializers = {
  req: (req: SerializedReq): SerializedReq => {
    if (typeof req.url === 'string') req.url = redactUrl(req.url);
    if (req.query !== undefined) req.query = redactQuery(req.query);
    return req;
  },
  res: (res: SerializedRes): SerializedRes => {
    const location = res.headers?.location;
    if (typeof location === 'string')
      res.headers = { ...res.headers, location: redactUrl(location) };
    return res;
  },
};
