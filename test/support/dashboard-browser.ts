import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { AdminHarness } from './admin-harness';

// Debian's Chromium, headless; without the background-networking flags it keeps trying to
// reach Google's hosts, which this machine's closed network refuses.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; why?: string }>;
}

/** One headless Chromium on a fresh profile for a test file; pages share its cookies. */
export class DashboardBrowser {
  /** Content-Security-Policy reports of every page (the dashboard must cause none). */
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<DashboardBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      // The simulated Microsoft 365 serves HTTPS with a certificate of its own test CA.
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
    });
    const b = new DashboardBrowser(context, profile);
    context.on('console', (msg) => {
      if (/Content.Security.Policy/i.test(msg.text())) b.cspViolations.push(msg.text());
    });
    context.on('weberror', (e) => b.pageErrors.push(String(e.error())));
    return b;
  }

  async page(): Promise<Page> {
    return this.context.pages()[0] ?? this.context.newPage();
  }

  /**
   * Signs `page` in through the simulated Microsoft sign-in page as `upn`, from a fresh session
   * (no cookie, no acting tenant). Resolves back on the dashboard: once its path matches
   * `landing`, or without one once the main navigation shows.
   */
  async signInAs(page: Page, h: AdminHarness, upn: string, landing?: RegExp): Promise<void> {
    await this.context.clearCookies();
    await page.goto(h.baseUrl + '/');
    await page.evaluate(() => sessionStorage.clear());
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#login').selectOption(upn);
    await page.locator('#signin').click();
    if (landing) {
      await page.waitForURL((u) => u.toString().startsWith(h.baseUrl) && landing.test(u.pathname));
      return;
    }
    await page.waitForURL((u) => u.toString().startsWith(h.baseUrl));
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  /** Fails unless no page broke the Content-Security-Policy or threw (after each test). */
  expectNoPageErrors(): void {
    expect(this.cspViolations).toEqual([]);
    expect(this.pageErrors).toEqual([]);
  }

  /**
   * axe-core's serious and critical violations on the page as it is. axe is evaluated through
   * the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
   */
  async axe(page: Page): Promise<AxeViolation[]> {
    // axe judges contrast as painted: mid-fade (a modal and its overlay), colours are blends.
    // Finite animations and transitions are let finish; endless ones (a loader) are not waited on.
    await page.waitForFunction(
      () =>
        document
          .getAnimations()
          .every(
            (a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity,
          ),
      undefined,
      { timeout: 10_000 },
    );
    const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(source);
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } })
        .axe;
      return axe.run(document, { resultTypes: ['violations'] });
    });
    const violations = (
      result as {
        violations: Array<
          AxeViolation & {
            nodes: Array<{
              target: string[];
              failureSummary?: string;
              any?: Array<{ message: string }>;
            }>;
          }
        >;
      }
    ).violations;
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        ...v,
        nodes: (
          v.nodes as Array<{
            target: string[];
            failureSummary?: string;
            any?: Array<{ message: string }>;
          }>
        ).map((n) => ({
          target: n.target,
          why: n.any?.[0]?.message ?? n.failureSummary,
        })),
      }));
  }

  /** axe's serious and critical violations on the page, a line each: rule, impact, help, where. */
  async axeLines(page: Page): Promise<string[]> {
    return (await this.axe(page)).map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.why}`).join(' | ')}`,
    );
  }

  /**
   * Opens `url` and waits for its heading and for its requests to settle; then what reaches
   * beyond the viewport's right edge and axe's serious and critical violations (none: fine).
   */
  async screenProblems(page: Page, url: string): Promise<{ overflow: string[]; axe: string[] }> {
    await page.goto(url);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = (await this.overflowX(page)) > 0 ? await this.overflowing(page) : [];
    return { overflow, axe: await this.axeLines(page) };
  }

  /**
   * The page at 1280 and then 390 px wide, each after a reload and `ready`: nothing reaches
   * beyond the viewport and axe finds no serious or critical violation. Ends at 1280 × 900.
   */
  async expectFitsWidths(page: Page, ready: () => Promise<unknown>): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      await page.reload();
      await ready();
      expect([width, await this.overflowing(page), await this.axe(page)]).toEqual([width, [], []]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** How far the page scrolls sideways beyond its viewport (0 = no horizontal scroll). */
  async overflowX(page: Page): Promise<number> {
    return page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
  }

  /** The innermost elements reaching beyond the viewport's right edge (to say what overflows). */
  async overflowing(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > width + 1)
        .filter(
          (e) => !Array.from(e.children).some((c) => c.getBoundingClientRect().right > width + 1),
        )
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')} "${(e.textContent ?? '').slice(0, 40)}" right=${Math.round(e.getBoundingClientRect().right)}`,
        );
    });
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
