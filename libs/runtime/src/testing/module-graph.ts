import type { INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** What a Nest app's module graph holds: module names, provider tokens and provider classes. */
export interface ModuleGraph {
  modules: string[];
  tokens: Set<unknown>;
  /** The classes of the providers (class providers; a factory's function is not a class of it). */
  classes: Array<abstract new (...args: never[]) => unknown>;
}

/**
 * Reads the module graph of an app, also one built in Nest's preview mode (no provider
 * instantiated): `app.get` of a missing provider would make Nest (abortOnError) exit the process
 * instead of throwing, so presence is read from the ModulesContainer.
 */
export function moduleGraphOf(app: INestApplicationContext): ModuleGraph {
  const modules = [...app.get(ModulesContainer).values()];
  const providers = modules.flatMap((m) => [...m.providers.entries()]);
  return {
    modules: modules.map((m) => m.metatype.name),
    tokens: new Set(providers.map(([token]) => token)),
    classes: providers
      .map(([, wrapper]) => wrapper.metatype)
      .filter(
        (type): type is abstract new (...args: never[]) => unknown =>
          typeof type === 'function' && !!type.prototype,
      ) as ModuleGraph['classes'],
  };
}
