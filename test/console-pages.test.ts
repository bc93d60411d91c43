import { DEMO_PASSWORD, ONE_TIME_CODE } from '@polku/stand-in-idp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackbone, type RunningBackbone } from './backbone';
import { openBrowser, seriousAccessibilityViolations } from './browser';

/**
 * The console's pages in a real headless Chromium, over the running backbone, signing in through
 * the STAND-IN identity provider as an operator on call would through their organisation's.
 */
describe("the operators' console in a browser", () => {
  let run: RunningBackbone;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** What the browser said about the Content-Security-Policy (a refusal to run or load something). */
  const policyComplaints: string[] = [];

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000, instances: { referralApi: 1, router: 1, consent: 1, adapterHost: 1, disclosureSealer: 1 } });
    browser = await openBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  const consoleUrl = () => run.backbone.urls.console;

  async function freshPage(locale: string): Promise<Page> {
    await context?.close();
    context = await browser.newContext({ locale });
    const opened = await context.newPage();
    opened.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) policyComplaints.push(message.text());
    });
    return opened;
  }

  async function signInAs(username: string, code: string | undefined = ONE_TIME_CODE): Promise<void> {
    await page.getByRole('link', { name: /Kirjaudu sisään|Sign in/ }).click();
    await page.getByLabel(/Username/).fill(username);
    await page.getByLabel(/Password/).fill(DEMO_PASSWORD);
    if (code) await page.getByLabel(/One-time code/).fill(code);
    await page.getByRole('button', { name: /Sign in/ }).click();
  }

  it('takes an operator from the sign-in page through the provider to the overview, in Finnish, with nothing for axe to object to', async () => {
    page = await freshPage('fi-FI');
    await page.goto(`${consoleUrl()}/ui/`);
    await expect.poll(() => page.url()).toContain('/ui/sign-in');
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await signInAs('paivystaja');
    await page.getByRole('heading', { level: 1, name: 'Yleiskuva' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await expect.poll(() => page.getByText('Päivi Päivystäjä').count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('switches to English and back, and stays on the page', async () => {
    await page.getByRole('link', { name: 'In English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Suomeksi' }).click();
    await page.getByRole('heading', { level: 1, name: 'Yleiskuva' }).waitFor();
  });

  it('signs out here and at the provider', async () => {
    await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    // The STAND-IN provider asks to confirm, as many do.
    await page.getByRole('button', { name: /Sign out/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ui/signed-out');
    await page.goto(`${consoleUrl()}/ui/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/ui/sign-in');
  });

  it('refuses a sign-in without a second factor and says why, in the language the browser asks for', async () => {
    page = await freshPage('en-GB');
    await page.goto(`${consoleUrl()}/ui/sign-in`);
    await signInAs('ilman-mfa', undefined);
    await page.getByRole('alert').filter({ hasText: 'multi-factor' }).waitFor();
    expect(new URL(page.url()).searchParams.get('refused')).toBe('MFA_REQUIRED');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('ran every page under its Content-Security-Policy without a complaint from the browser', () => {
    expect(policyComplaints).toEqual([]);
  });
});
