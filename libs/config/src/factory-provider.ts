import type { FactoryProvider } from '@nestjs/common';
import type { TypedToken } from './typed-token';

/** A class (its instances) or a typed token. */
type Dependency<T> = TypedToken<T> | (abstract new (...args: never[]) => T);

/**
 * A factory provider whose inject list is checked against the factory's parameters, in order:
 * a misordered or mistyped dependency fails to compile instead of failing at start.
 */
export function factoryProvider<T, D extends readonly unknown[]>(
  provide: Dependency<T>,
  inject: readonly [...{ [K in keyof D]: Dependency<D[K]> }],
  useFactory: (...deps: NoInfer<D>) => T | Promise<T>,
): FactoryProvider<T> {
  return {
    provide,
    inject: [...inject] as FactoryProvider['inject'],
    useFactory: useFactory as never,
  };
}
