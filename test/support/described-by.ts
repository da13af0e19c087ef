import type { Locator, Page } from 'playwright-core';

/** The texts of the elements an input's aria-describedby names (its description, its error). */
export async function describedBy(page: Page, input: Locator): Promise<string[]> {
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  return Promise.all(
    ids.map(async (id) => (await page.locator(`[id="${id}"]`).textContent()) ?? ''),
  );
}
