import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { Role } from '@app/database';
import { CHROMIUM_ARGS } from '@app/monitoring';
import { CHROMIUM, CHROMIUM_ENV, ensureChromium } from './support/chromium';
import { webUiDirectory } from '../apps/api/src/http/web-ui';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { startSlackWebhook } from './support/chat-peers';
import { waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';

const WEEK = '2026-W41';

/** The admin's Integrations page and the meeting's printout, in Chromium under the strict CSP. */
describe('UI: integrations and the printable board', () => {
  const { api, db } = useApi({ env: { LOCAL_ACCOUNTS: 'true', CLOCK_START: '2026-10-14T10:00:00+02:00' } });
  let browser: Browser;
  let slack: Awaited<ReturnType<typeof startSlackWebhook>>;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const accounts = new Map<Role, { email: string; password: string }>();

  beforeAll(async () => {
    if (webUiDirectory() === null) throw new Error('dist/web is missing: run `npm run build` first');
    await ensureChromium();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      env: CHROMIUM_ENV,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    slack = await startSlackWebhook();
    const admin = await api.key(Role.Admin);
    for (const role of [Role.Admin, Role.Viewer]) {
      const email = `${role}@integrations.test`;
      const created = await http(api.url, 'POST', '/api/v1/users', {
        key: admin,
        body: { email, role, displayName: role },
      });
      accounts.set(role, { email, password: created.body.password as string });
    }
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: admin,
      body: [
        'Paiement refusé au 3-D Secure, impossible de payer mon billet',
        'Mon paiement est refusé par le 3-D Secure <img src=x onerror="window.__pwned=1">',
        'Aucune assistance pour mon fauteuil roulant en gare',
      ].map((text, i) =>
        verbatim({
          source: 'ui-int',
          externalId: `u-${i}`,
          text,
          lang: 'fr',
          receivedAt: `2026-10-0${6 + i}T09:00:00Z`,
        }),
      ),
    });
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await slack?.close();
  });

  const open = async (role: Role, path: string): Promise<Page> => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(60_000);
    contexts.push(context);
    expect((await context.request.post(`${api.url}/auth/local`, { data: accounts.get(role) })).status()).toBe(
      204,
    );
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${api.url}${path}`);
    return page;
  };

  it('lets an admin add a Slack channel and send it a test, without ever showing the webhook URL again', async () => {
    const page = await open(Role.Admin, '/integrations');
    await page.getByRole('heading', { name: 'Slack and Microsoft Teams' }).waitFor();
    await page.getByLabel('Name').first().fill('#voix-client');
    await page
      .getByLabel('Incoming webhook URL (kept sealed, never shown again)')
      .fill(`${slack.url}/services/T0/B0/ui-secret`);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const row = page.getByRole('row', { name: /#voix-client/ });
    await row.waitFor();
    expect(await page.content()).not.toContain('ui-secret');
    await row.getByRole('button', { name: 'Send a test' }).click();
    await page.getByText('Test message queued.').waitFor();
    expect(
      await until(
        () => slack.received.length,
        (n) => n >= 1,
      ),
    ).toBe(1);
    expect(slack.received[0].text).toContain('LoveBoard est connecté');
  });

  it('keeps the page from people who are not admins', async () => {
    const page = await open(Role.Viewer, '/integrations');
    await page.getByText('Only admins configure integrations.').waitFor();
    expect(await page.getByRole('link', { name: 'Integrations' }).count()).toBe(0);
  });

  it('prints the board for the meeting, one page per irritant with its quotes, markup shown as text', async () => {
    const page = await open(Role.Viewer, `/boards/${WEEK}/print`);
    await page.getByRole('heading', { name: `Board of ${WEEK} for the meeting` }).waitFor();
    const pages = page.locator('section.print-page');
    // A cover, then one per irritant: each starts a new sheet when printed.
    expect(
      await until(
        () => pages.count(),
        (n) => n >= 3,
      ),
    ).toBeGreaterThanOrEqual(3);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate<string[]>(
      "[...document.querySelectorAll('section.print-page')].map((section) => getComputedStyle(section).breakAfter)",
    );
    expect(printed.slice(0, -1).every((value) => value === 'page')).toBe(true);
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(
      await page.getByText('<img src=x onerror="window.__pwned=1">', { exact: false }).count(),
    ).toBeGreaterThan(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('links the week’s exports from the board', async () => {
    const page = await open(Role.Viewer, `/boards/${WEEK}`);
    const xlsx = page.getByRole('link', { name: 'XLSX', exact: true });
    await xlsx.waitFor();
    expect(await xlsx.getAttribute('href')).toBe(`/api/v1/exports/boards/${WEEK}?format=xlsx`);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'CSV', exact: true }).click();
    expect((await download).suggestedFilename()).toBe(`loveboard-board-${WEEK}.csv`);
  });

  it('ran every page under the content-security policy without a violation', () => {
    expect(violations).toEqual([]);
  });
});
