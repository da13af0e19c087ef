'use strict';
/* global fetch, AbortSignal */
// The image's HEALTHCHECK: GET /health/live on this container's own port. One image runs the
// admin API (API_PORT, default 3000) or a worker (WORKER_HEALTH_PORT, default 3001), and only
// one of them listens in a container, so either answering 200 is healthy. Liveness only: a
// dependency that is down shows in /health/ready, and a restart would not fix it.
// Exit 0 healthy, 1 not.
// eslint-disable-next-line no-restricted-properties -- runs beside the product, not inside it
const env = process.env;
const ports = [Number(env.API_PORT || 3000), Number(env.WORKER_HEALTH_PORT || 3001)];

const live = (port) =>
  fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(4000) }).then(
    (res) => res.status === 200,
    () => false,
  );

Promise.all(ports.map(live)).then((answers) => process.exit(answers.includes(true) ? 0 : 1));
