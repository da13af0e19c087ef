import type { Locator } from 'playwright-core';

/** Waits (up to 30 s) until the locator's first match is visible. */
export async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 30_000 });
}
