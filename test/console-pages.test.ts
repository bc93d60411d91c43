import { DEMO_PASSWORD, ONE_TIME_CODE } from '@polku/stand-in-idp';
import { TOPICS } from '@polku/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackbone, type RunningBackbone } from './backbone';
import { openBrowser, seriousAccessibilityViolations } from './browser';
import { call } from './client';
import { refusedDeliveries } from './refused-delivery';
import { eventually } from './support';

/**
 * The console's pages in a real headless Chromium, over the running backbone, signing in through
 * the STAND-IN identity provider as an operator on call would through their organisation's: find a
 * referral, replay what failed once its cause is fixed, watch the loop guard park what keeps
 * failing, replay in bulk, and let an auditor read what the operator did.
 */
describe("the operators' console in a browser", () => {
  let run: RunningBackbone;
  let refused: ReturnType<typeof refusedDeliveries>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** What the browser said about the Content-Security-Policy (a refusal to run or load something). */
  const policyComplaints: string[] = [];
  /** Every page axe looked at, with what it found (serious and critical only). */
  const accessibility: Record<string, unknown[]> = {};

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000, instances: { referralApi: 1, router: 1, consent: 1, adapterHost: 1, disclosureSealer: 1 } });
    refused = refusedDeliveries(run);
    browser = await openBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  const consoleUrl = () => run.backbone.urls.console;
  const path = () => new URL(page.url()).pathname;

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

  /** axe on the page as it is now; kept per page for the last test, and asserted at once. */
  async function checkAccessibility(): Promise<void> {
    const found = await seriousAccessibilityViolations(page);
    accessibility[path()] = found;
    expect(found, path()).toEqual([]);
  }

  /** Replays the dead letter on its page, with a reason, and waits for the page to say so. */
  async function replayOnItsPage(id: string, ticket: string): Promise<void> {
    await page.goto(`${consoleUrl()}/ui/dead-letters/${id}`);
    await page.locator('#replay-reason').selectOption('cause-fixed');
    await page.locator('#replay-ticket').fill(ticket);
    await page.getByRole('button', { name: 'Aja uudelleen' }).click();
    await page.getByRole('status').filter({ hasText: 'Ajettu uudelleen' }).waitFor();
  }

  it('takes an operator from the sign-in page through the provider to the overview, in Finnish, with nothing for axe to object to', async () => {
    page = await freshPage('fi-FI');
    await page.goto(`${consoleUrl()}/ui/`);
    await expect.poll(() => page.url()).toContain('/ui/sign-in');
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    await checkAccessibility();

    await signInAs('paivystaja');
    await page.getByRole('heading', { level: 1, name: 'Yleiskuva' }).waitFor();
    expect(path()).toBe('/ui/');
    await expect.poll(() => page.getByText('Päivi Päivystäjä').count()).toBeGreaterThan(0);
    await checkAccessibility();
  });

  it('keeps the overview live: figures come again over server-sent events, readiness of every service among them', async () => {
    await page.getByRole('heading', { name: 'Palveluiden valmius' }).waitFor();
    const first = await page.locator('#figures time').first().getAttribute('datetime');
    // POLKU_CONSOLE_OVERVIEW_INTERVAL_MS is 5 s: the swapped figures carry a later time.
    await expect.poll(() => page.locator('#figures time').first().getAttribute('datetime'), { timeout: 30_000 }).not.toBe(first);
    for (const service of ['referral-api', 'router', 'adapter-host', 'consent', 'disclosure-sealer', 'console']) {
      expect(await page.locator('#figures li').filter({ hasText: `${service}: valmis` }).count(), service).toBe(1);
    }
  });

  it('finds a referral by its id and shows its whole timeline', async () => {
    const { referralId } = await refused.submitWithConsent();
    const trace = await eventually(async () => {
      const answer = await call('GET', `${consoleUrl()}/v1/traces/referrals/${referralId}`, { key: run.keys.operator });
      const delivered = (answer.body?.deliveries as { status: string }[] | undefined)?.some((d) => d.status === 'succeeded');
      return delivered ? answer.body as { events: { eventId: string; type: string }[] } : undefined;
    }, 'the referral delivered to the school, as the console traces it', 60_000);

    await page.getByRole('link', { name: 'Ohjauksen jäljitys' }).click();
    await page.getByLabel('Tunniste').fill(referralId);
    await page.getByRole('button', { name: 'Etsi' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(referralId) }).waitFor();
    const timeline = await page.locator('ol.timeline').innerText();
    for (const event of trace.events) expect(timeline, `${event.type} ${event.eventId}`).toContain(event.eventId);
    expect(timeline).toContain('fi.polku.referral.routed.v1');
    await checkAccessibility();

    await page.goto(`${consoleUrl()}/ui/trace?id=not-a-known-id`);
    await page.getByRole('alert').filter({ hasText: 'ei löytynyt' }).waitFor();
    await checkAccessibility();
  });

  it('shows a delivery the school refused in the dead letters, refuses a replay without a reason, and replays it once the cause is fixed', async () => {
    const { letter, deliveryId, referralId } = await refused.refusedDelivery();
    await page.getByRole('link', { name: 'Kuolleet kirjeet' }).click();
    await page.getByLabel('Tila').selectOption('open');
    await page.getByRole('button', { name: 'Suodata' }).click();
    await page.getByRole('link', { name: letter.id }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(letter.id) }).waitFor();
    expect(await page.locator('.facts').innerText()).toContain(letter.errorCode);
    await checkAccessibility();

    // The browser asks for the reason; the console refuses without one even when the browser does not.
    await page.locator('#replay-reason').evaluate((select) => select.removeAttribute('required'));
    await page.getByRole('button', { name: 'Aja uudelleen' }).click();
    await page.locator('#replay-reason-error').waitFor();
    expect(await page.locator('#replay-reason').getAttribute('aria-invalid')).toBe('true');
    expect((await call('GET', `${consoleUrl()}/v1/dead-letters/${letter.id}`, { key: run.keys.operator })).body.state).toBe('open');
    await checkAccessibility();

    await refused.scriptSchool([]);
    await replayOnItsPage(letter.id, 'INC-4711');
    // Handled: the delivery succeeds, and its trace says so.
    await page.getByRole('link', { name: deliveryId }).click();
    await expect.poll(async () => {
      await page.goto(`${consoleUrl()}/ui/referrals/${referralId}`);
      return page.locator('#deliveries-heading ~ h3').allInnerTexts();
    }, { timeout: 60_000 }).toContain('education.school – succeeded');
    expect(await refused.stubDeliveries(referralId)).toEqual([expect.objectContaining({ idempotencyKey: deliveryId, answers: [422, 200] })]);
  });

  it('lets the loop guard park a record that keeps failing: after three replays it is parked, and no longer offered for replay', async () => {
    const { letter, deliveryId } = await refused.refusedDelivery([422, 422, 422, 422]);
    let current = letter;
    for (let replay = 1; replay <= 3; replay++) {
      await replayOnItsPage(current.id, `INC-LOOP-${replay}`);
      current = replay < 3 ? await refused.deadLetterOf(deliveryId) : await refused.deadLetterOf(deliveryId, 'parked');
      if (replay < 3) expect(current.replayCount).toBe(replay);
    }
    await page.goto(`${consoleUrl()}/ui/dead-letters/${current.id}`);
    const facts = await page.locator('.facts').innerText();
    expect(facts).toContain('pysäköity');
    expect(facts).toContain('replays-exhausted');
    expect(await page.getByRole('button', { name: 'Aja uudelleen' }).count()).toBe(0);
    await checkAccessibility();
    await refused.scriptSchool([]);
  });

  it('replays in bulk from the dry run through the confirmation to done', async () => {
    const letters = [];
    for (let i = 0; i < 3; i++) letters.push(await refused.refusedDelivery());
    await refused.scriptSchool([]);
    const errorCode = letters[0]!.letter.errorCode;

    await page.getByRole('link', { name: 'Joukkoajo' }).click();
    await page.getByLabel('Aihe').selectOption(TOPICS.referral);
    await page.getByLabel('Virhekoodi').fill(errorCode);
    await checkAccessibility();
    await page.getByRole('button', { name: 'Tee koeajo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vahvista joukkoajo' }).waitFor();
    const matched = Number(/Koeajo: (\d+)/.exec(await page.getByText(/Koeajo: \d+ avointa/).innerText())![1]);
    expect(matched).toBeGreaterThanOrEqual(3);
    await checkAccessibility();

    await page.locator('#bulk-reason').selectOption('cause-fixed');
    await page.getByRole('button', { name: `Aja ${matched} kirjettä uudelleen` }).click();
    await page.getByRole('heading', { level: 1, name: 'Joukkoajon eteneminen' }).waitFor();
    // The page asks for its figures every second until the replay is done.
    await page.getByRole('status').filter({ hasText: 'Valmis.' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-figure="replayed"]').innerText()).toBe(String(matched));
    await checkAccessibility();
    for (const { referralId, deliveryId } of letters) {
      await eventually(async () => {
        const taken = await refused.stubDeliveries(referralId);
        return taken[0]?.answers.join() === '422,200' ? taken : undefined;
      }, `delivery ${deliveryId} accepted after the bulk replay`, 60_000);
    }
  });

  it('shows lag, queues and alerts', async () => {
    for (const [link, heading] of [['Kuluttajaryhmien viive', 'Kuluttajaryhmien viive'], ['Jonot', 'Jonot'], ['Hälytykset', 'Hälytykset']] as const) {
      await page.getByRole('navigation', { name: 'Konsolin sivut' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await checkAccessibility();
    }
    await page.goto(`${consoleUrl()}/ui/queues`);
    expect(await page.getByRole('rowheader', { name: 'polku-deliveries' }).count()).toBe(1);
  });

  it('reads at 200 % zoom without scrolling sideways, and works by keyboard from the skip link on', async () => {
    // 200 % of a 1280 × 900 window is what a 640 × 450 one shows.
    await page.setViewportSize({ width: 640, height: 450 });
    for (const at of ['/ui/', '/ui/dead-letters', '/ui/dead-letters/bulk', '/ui/lag', '/ui/trace']) {
      await page.goto(`${consoleUrl()}${at}`);
      // What sticks out past the window's right edge, named by tag and class (empty when nothing does).
      const sticking = await page.evaluate(`[...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table'))
        .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))`) as string[];
      expect(sticking, `${at} is wider than the window`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Siirry sisältöön');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('trace-id');
    await page.keyboard.type('not-a-known-id');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'ei löytynyt' }).waitFor();
  });

  it('switches to English and back, and stays on the page', async () => {
    await page.goto(`${consoleUrl()}/ui/`);
    await page.getByRole('link', { name: 'In English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await checkAccessibility();
    await page.getByRole('link', { name: 'Suomeksi' }).click();
    await page.getByRole('heading', { level: 1, name: 'Yleiskuva' }).waitFor();
  });

  it('keeps the audit trail from the operator, and shows the auditor what the operator did', async () => {
    expect(await page.getByRole('link', { name: 'Toimenpideloki' }).count()).toBe(0);
    await page.goto(`${consoleUrl()}/ui/audit`);
    await page.getByRole('heading', { level: 1, name: 'Ei pääsyä' }).waitFor();
    await checkAccessibility();

    page = await freshPage('fi-FI');
    await page.goto(`${consoleUrl()}/ui/audit`);
    await signInAs('tarkastaja');
    await page.getByRole('heading', { level: 1, name: 'Toimenpideloki' }).waitFor();
    // The audit topic reaches the console's trail within moments.
    await expect.poll(async () => {
      await page.reload();
      return page.locator('table').innerText().catch(() => '');
    }, { timeout: 30_000 }).toContain('dead-letter.bulk-replay');
    const trail = await page.locator('table').innerText();
    expect(trail).toContain('dead-letter.replay');
    expect(trail).toContain('INC-4711');
    expect(trail).toContain('paivystaja');
    expect(trail).not.toContain('Päivi');
    await checkAccessibility();
  });

  it('signs out here and at the provider, which ends the overview\'s stream of figures too', async () => {
    // The session cookie is the console's pages' own (path /ui).
    const session = (await context.cookies(`${consoleUrl()}/ui/`)).find((c) => c.name === 'polku_console')!;
    const stream = await fetch(`${consoleUrl()}/ui/overview/stream`, { headers: { cookie: `polku_console=${session.value}` } });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })();

    await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    // The STAND-IN provider asks to confirm, as many do.
    await page.getByRole('button', { name: /Sign out/ }).click();
    await expect.poll(() => path()).toBe('/ui/signed-out');
    await checkAccessibility();
    await page.goto(`${consoleUrl()}/ui/`);
    await expect.poll(() => path()).toBe('/ui/sign-in');
    // The stream asks for the session before each round of figures (every 5 s).
    expect(await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 20_000, 'still open'))])).toBe('ended');
  });

  it('refuses a sign-in without a second factor and says why, in the language the browser asks for', async () => {
    page = await freshPage('en-GB');
    await page.goto(`${consoleUrl()}/ui/sign-in`);
    await signInAs('ilman-mfa', undefined);
    await page.getByRole('alert').filter({ hasText: 'multi-factor' }).waitFor();
    expect(new URL(page.url()).searchParams.get('refused')).toBe('MFA_REQUIRED');
    await checkAccessibility();
  });

  it('ran every page under its Content-Security-Policy without a complaint from the browser, and axe found nothing serious on any', () => {
    expect(policyComplaints).toEqual([]);
    expect(Object.keys(accessibility).length).toBeGreaterThanOrEqual(12);
    expect(Object.entries(accessibility).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
