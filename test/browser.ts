import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCommand } from './command';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Debian's Chromium, installed with apt-get the first time a machine runs the browser tests (a
 * test tool's own browser download cannot work here: nothing but the package registries is
 * reachable). POLKU_CHROMIUM names another binary.
 */
export async function chromiumPath(): Promise<string> {
  const given = process.env['POLKU_CHROMIUM'];
  if (given) return given;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, timeoutMs: 600_000 });
  if (install.status !== 0) {
    // Package lists may be missing or old on a fresh machine.
    await runCommand('apt-get', ['update'], { env, timeoutMs: 300_000 });
    install = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, timeoutMs: 600_000 });
  }
  const installed = CANDIDATES.find((path) => existsSync(path));
  if (!installed) throw new Error(`Chromium is not installed and apt-get could not install it (exit ${install.status}): ${install.stderr.slice(-500)}`);
  return installed;
}

/** Headless, with the flags this machine's closed network needs (no background connections). */
export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * What axe-core finds on the page as it is now, serious and critical only. axe is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern, so the
 * page is checked with its real policy in force.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${axeSource}\n;0`);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }> }> } }).axe;
    // The page's own document (this function runs in the browser).
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
