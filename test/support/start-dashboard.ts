import type { Page } from 'playwright-core';
import { AdminHarness, type AdminHarnessOptions, type Browser } from './admin-harness';
import { DashboardBrowser } from './dashboard-browser';
import { ensureDashboardBuilt } from './dashboard-build';

/** What a dashboard browser test works with. */
export interface DashboardRig {
  h: AdminHarness;
  /** The first tenant's admin, signed in to the API (not to the browser). */
  api: Browser;
  browser: DashboardBrowser;
  page: Page;
}

/**
 * The built dashboard served by an admin harness whose first tenant its admin has signed in to
 * and consented to through the API, and a headless Chromium on a fresh profile. Stop with
 * `browser.close()` and `h.stop()`.
 */
export async function startDashboard(options: AdminHarnessOptions): Promise<DashboardRig> {
  await ensureDashboardBuilt();
  const h = await AdminHarness.start(options);
  try {
    const t = h.tenant(0);
    const api = h.browser();
    await api.signIn(t.adminUpn);
    expect((await api.consent(t.adminUpn)).status).toBe(200);
    const browser = await DashboardBrowser.launch();
    return { h, api, browser, page: await browser.page() };
  } catch (e) {
    await h.stop();
    throw e;
  }
}
