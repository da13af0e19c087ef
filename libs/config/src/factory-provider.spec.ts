import { factoryProvider } from './factory-provider';
import type { TypedToken } from './typed-token';

class Clock {
  now = (): number => 42;
}
class Service {
  constructor(
    readonly clock: Clock,
    readonly limit: number,
  ) {}
}
const LIMIT = Symbol('LIMIT') as TypedToken<number>;

describe('factoryProvider', () => {
  it('keeps the inject list and the factory in one checked order', async () => {
    const provider = factoryProvider(
      Service,
      [Clock, LIMIT],
      (clock, limit) => new Service(clock, limit),
    );
    expect(provider.provide).toBe(Service);
    expect(provider.inject).toEqual([Clock, LIMIT]);
    const made = (await provider.useFactory(new Clock(), 7)) as Service;
    expect(made.limit).toBe(7);
    expect(made.clock.now()).toBe(42);
  });

  it('refuses a misordered inject list and a factory of the wrong type at compile time', () => {
    // The checks are the two @ts-expect-error lines (`npm run typecheck` fails if either compiles).
    const misordered = () =>
      factoryProvider(
        Service,
        [LIMIT, Clock],
        // @ts-expect-error the inject list gives (number, Clock), the factory wants (Clock, number)
        (clock: Clock, limit: number) => new Service(clock, limit),
      );
    const wrongProduct = () =>
      factoryProvider(
        Clock,
        [Clock, LIMIT],
        // @ts-expect-error a Service factory cannot provide a Clock
        (clock: Clock, limit: number) => new Service(clock, limit),
      );
    expect(misordered().inject).toEqual([LIMIT, Clock]);
    expect(wrongProduct().provide).toBe(Clock);
  });
});
