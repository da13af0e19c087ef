import { ApiQuery } from '@nestjs/swagger';

const PAGE_QUERY = [
  ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 200 },
  }),
  ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0 } }),
];

/** Documents the `limit`/`offset` query of a paged list route. */
export function Paged(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const d of PAGE_QUERY) d(target, key, descriptor);
  };
}
