import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { BoardService } from '@app/board';
import { Clock } from '@app/config';
import { Role } from '@app/database';
import { isoWeekOf, previousWeek, weekBounds } from '@app/scoring';
import { useApi } from './support/app';
import { TestBrowser, openBrowser } from './support/browser';
import { waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';
import { ROOT } from './support/processes';

const ZONE = 'Europe/Paris';
const WEEK_MS = 7 * 86_400_000;
const XSS_TEXT =
  'Impossible de me connecter à mon compte <script>window.__xss=1</script> mot de passe refusé <img src=x onerror="window.__xss=2;alert(1)">';

interface DemoRow {
  receivedAt: string;
  [field: string]: unknown;
}

/**
 * The shipped demo verbatims, moved forward by whole weeks so that the newest lands in the current
 * ISO week (weekdays and hours kept), without any in the future.
 */
async function demoVerbatims(now: Date): Promise<DemoRow[]> {
  const lines = (await readFile(join(ROOT, 'apps', 'api', 'demo', 'verbatims.jsonl'), 'utf8')).split('\n');
  const rows = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as DemoRow);
  const newest = Math.max(...rows.map((row) => Date.parse(row.receivedAt)));
  const from = weekBounds(isoWeekOf(new Date(newest), ZONE), ZONE).start.getTime();
  const to = weekBounds(isoWeekOf(now, ZONE), ZONE).start.getTime();
  const shift = Math.round((to - from) / WEEK_MS) * WEEK_MS;
  return rows
    .map((row) => ({ ...row, receivedAt: new Date(Date.parse(row.receivedAt) + shift).toISOString() }))
    .filter((row) => Date.parse(row.receivedAt) <= now.getTime() - 60_000);
}

/**
 * The triage UI in a real browser (Debian's Chromium through playwright-core) against the real API
 * on PostgreSQL serving the real built UI: sign-in, the board, a decision, an irritant's detail,
 * merge, a category correction, the language switch, customer payloads shown as text, and the
 * few API reads the UI added. Nothing may break the content-security policy or log an error.
 */
describe('triage UI', () => {
  const { api, db } = useApi({ env: { LOCAL_ACCOUNTS: 'true' } });
  let admin: string;
  let browser: TestBrowser;
  let page: Page;
  let week: string;
  let triager: { email: string; password: string; id: string };
  let viewer: { email: string; password: string; id: string };
  let xssId: string;

  const get = async (path: string) => {
    const response = await http(api.url, 'GET', path, { key: admin });
    expect(response.status).toBe(200);
    return response.body;
  };

  const signIn = async (account: { email: string; password: string }) => {
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    admin = await api.key(Role.Admin);
    const account = async (role: string, displayName: string) => {
      const email = `${role}@loveboard.test`;
      const response = await http(api.url, 'POST', '/api/v1/users', {
        key: admin,
        body: { email, role, displayName },
      });
      expect(response.status).toBe(201);
      return { email, password: response.body.password as string, id: response.body.user.id as string };
    };
    triager = await account('triager', 'Camille Triage');
    viewer = await account('viewer', 'Dominique Lecture');

    // A Wednesday: the board the app opens on is this week's (Monday it would be last week's,
    // see test/monday-loop.e2e-spec.ts), whatever the day the suite runs.
    const now = new Date('2026-11-18T10:00:00Z');
    api.app.get(Clock).travel(now);
    week = isoWeekOf(now, ZONE);
    const items = [
      ...(await demoVerbatims(now)),
      {
        source: 'ui-test',
        externalId: 'xss-1',
        author: 'mallory@example.com',
        channel: 'chat',
        // Early in the week: the screenshots show the demo's own verbatims first.
        receivedAt: new Date(
          Math.min(weekBounds(week, ZONE).start.getTime() + 60_000, now.getTime() - 1_000),
        ).toISOString(),
        text: XSS_TEXT,
        lang: 'fr',
      },
    ];
    const ids: string[] = [];
    for (let i = 0; i < items.length; i += 1_000) {
      const response = await http(api.url, 'POST', '/api/v1/verbatims', {
        key: admin,
        body: items.slice(i, i + 1_000),
      });
      expect(response.status).toBe(201);
      ids.push(...response.body.items.map((item: { id: string }) => item.id));
    }
    xssId = ids[ids.length - 1];
    await waitForLastStage(db.url, ids);
    // Two frozen weeks before this one, as the Monday meeting finds them.
    const boards = api.app.get(BoardService);
    const last = previousWeek(week, ZONE);
    await boards.freeze(previousWeek(last, ZONE));
    await boards.freeze(last);
    await boards.compute(week);

    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('the API reads the UI added', () => {
    it('lists the weeks that have a board, newest first', async () => {
      const weeks = await get('/api/v1/boards');
      expect(weeks.map((entry: { isoWeek: string }) => entry.isoWeek).slice(0, 3)).toEqual([
        week,
        previousWeek(week, ZONE),
        previousWeek(previousWeek(week, ZONE), ZONE),
      ]);
      expect(weeks.map((entry: { status: string }) => entry.status).slice(0, 3)).toEqual([
        'live',
        'frozen',
        'frozen',
      ]);
      expect((await http(api.url, 'GET', '/api/v1/boards?limit=0', { key: admin })).status).toBe(400);
    });

    it('reads one item of a board, with the reasons of its axes', async () => {
      const board = await get(`/api/v1/boards/${week}`);
      const first = board.items[0];
      const read = await get(`/api/v1/boards/${week}/items/${first.irritantId}`);
      expect(read).toMatchObject({ isoWeek: week, status: 'live', pinnedVerbatimId: null });
      expect(read.item).toEqual(first);
      const missing = await http(
        api.url,
        'GET',
        `/api/v1/boards/${week}/items/00000000-0000-4000-8000-000000000000`,
        {
          key: admin,
        },
      );
      expect(missing.status).toBe(404);
      expect(
        (await http(api.url, 'GET', `/api/v1/boards/2026-W99/items/${first.irritantId}`, { key: admin }))
          .status,
      ).toBe(400);
      expect((await http(api.url, 'GET', `/api/v1/boards/${week}/items/nope`, { key: admin })).status).toBe(
        400,
      );
    });

    it('filters verbatims by irritant, with full-text search inside', async () => {
      const board = await get(`/api/v1/boards/${week}`);
      const { irritantId, verbatimCount } = board.items[0];
      const irritant = await get(`/api/v1/irritants/${irritantId}`);
      const page1 = await get(`/api/v1/verbatims?irritant=${irritantId}&limit=200`);
      expect(page1.items.length).toBe(irritant.verbatimCount);
      expect(page1.items.length).toBeGreaterThanOrEqual(verbatimCount);
      expect(page1.items.every((item: { irritantId: string }) => item.irritantId === irritantId)).toBe(true);
      const word = /[\p{L}]{6,}/u.exec(irritant.label)?.[0] ?? irritant.label.split(' ')[0];
      const found = await get(`/api/v1/verbatims?irritant=${irritantId}&q=${encodeURIComponent(word)}`);
      expect(found.items.length).toBeGreaterThan(0);
      expect(found.items.every((item: { irritantId: string }) => item.irritantId === irritantId)).toBe(true);
      const bad = await http(api.url, 'GET', '/api/v1/verbatims?irritant=1%27%20OR%201=1', { key: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('irritant must be an irritant id');
    });

    it('names the departments a decision may route to', async () => {
      expect(await get('/api/v1/decisions/departments')).toEqual([
        'customer_service',
        'marketing',
        'legal',
        'operations',
        'finance',
        'product',
      ]);
    });
  });

  describe('in the browser', () => {
    let decided: { irritantId: string; label: string };

    it('sends a visitor to sign in, then back to the board', async () => {
      await page.goto(`${api.url}/`);
      await page.waitForURL(/\/sign-in\?returnTo=%2F$/);
      await expectHeading(page, 'Sign in');
      // A failed single sign-on comes back with ?error=: known codes in words, others as text.
      await page.goto(`${api.url}/sign-in?error=expired&returnTo=%2F`);
      await page
        .getByRole('alert')
        .filter({ hasText: 'The sign-in took too long. Please start again.' })
        .waitFor();
      await page.goto(`${api.url}/sign-in?error=${encodeURIComponent('<b>x</b>')}&returnTo=%2F`);
      await page.getByRole('alert').filter({ hasText: 'Sign-in failed (<b>x</b>).' }).waitFor();
      expect(await page.locator('.signin b').count()).toBe(0);
      // Local accounts only here: no single sign-on button.
      expect(await page.getByRole('link', { name: /^Sign in with/ }).count()).toBe(0);
      await signIn({ email: triager.email, password: 'not the password' });
      await page.getByRole('alert').filter({ hasText: 'Wrong e-mail address or password.' }).waitFor();
      await signIn(triager);
      await page.waitForURL(`${api.url}/`);
      await expectHeading(page, `Board of ${week}`);
      await page.getByText('Camille Triage').waitFor();
      await page.getByText('Triager', { exact: true }).waitFor();
    });

    it('shows the ranked board with axes, movement and filters kept in the URL', async () => {
      const board = await get(`/api/v1/boards/${week}`);
      const rows = page.locator('table.board-table > tbody');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(Math.min(board.items.length, 100));
      const first = rows.first();
      expect(await first.locator('.irritant-link').textContent()).toBe(board.items[0].label);
      expect(await first.locator('.axis-bars li').count()).toBe(4);
      expect(await first.locator('.total').textContent()).toBe(String(Math.round(board.items[0].total)));

      await page.getByLabel('Category', { exact: true }).selectOption('payment');
      await page.waitForURL(/category=payment/);
      const payment = await get(`/api/v1/boards/${week}?category=payment`);
      await countIs(page.locator('table.board-table > tbody'), payment.items.length);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.waitForURL(`${api.url}/`);
      // Navigations render in a transition: the URL changes a moment before the page does.
      await page.getByRole('button', { name: 'Clear filters' }).waitFor({ state: 'detached' });
      await countIs(page.locator('table.board-table > tbody'), Math.min(board.items.length, 100));

      // The week picker reaches the frozen week before.
      await page.getByRole('link', { name: `Previous week, ${previousWeek(week, ZONE)}` }).click();
      await expectHeading(page, `Board of ${previousWeek(week, ZONE)}`);
      await page.getByText('Frozen', { exact: true }).first().waitFor();
      await page.getByRole('link', { name: `Next week, ${week}` }).click();
      await expectHeading(page, `Board of ${week}`);
    });

    it('records a decision taken on the row, with the keyboard', async () => {
      const board = await get(`/api/v1/boards/${week}`);
      const item = board.items[0];
      decided = { irritantId: item.irritantId, label: item.label };
      const decide = page.getByRole('button', { name: `Decide ${item.label}` });
      await decide.focus();
      await page.keyboard.press('Enter');
      const form = page.getByRole('form', { name: `Decision on ${item.label}` });
      await form.waitFor();
      // The first choice has the focus; arrows move between the choices of the group.
      await page.keyboard.press('ArrowRight');
      expect(await form.getByLabel('Small evolution').isChecked()).toBe(true);
      await form.getByLabel('Owner').fill('Web team');
      await form.getByLabel('Target release').fill('12.5.0');
      await form.getByLabel('Comment').fill('Agreed in the Monday meeting');
      await form.getByRole('button', { name: 'Save decision' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Decision saved for ${item.label}: Small evolution` })
        .waitFor();
      await form.waitFor({ state: 'detached' });

      const history = await get(`/api/v1/boards/${week}/items/${item.irritantId}/decisions`);
      expect(history.at(-1)).toMatchObject({
        kind: 'small_evolution',
        owner: 'Web team',
        targetRelease: '12.5.0',
        comment: 'Agreed in the Monday meeting',
        by: `user:${triager.id}`,
      });
      const inForce = await get(`/api/v1/boards/${week}/decisions`);
      expect(inForce.find((d: { irritantId: string }) => d.irritantId === item.irritantId).kind).toBe(
        'small_evolution',
      );
      await page.locator('table.board-table > tbody').first().getByText('Small evolution').waitFor();
    });

    it('opens the irritant: reasons of each axis, its verbatims, search inside', async () => {
      await page.getByRole('link', { name: decided.label, exact: true }).click();
      await page.waitForURL(new RegExp(`/irritants/${decided.irritantId}\\?week=${week}$`));
      // The page says what the irritant is called now: titles follow its verbatims (every few
      // seconds), the board's row what it was called when the board was computed.
      await until(
        async () =>
          (await page.getByRole('heading', { level: 1 }).first().textContent())?.trim() ===
          (await get(`/api/v1/irritants/${decided.irritantId}`)).label,
        (same) => same,
        { what: "the irritant page's title to be the irritant's current name" },
      );
      await page.getByRole('heading', { name: 'Why it ranks here' }).waitFor();
      const item = (await get(`/api/v1/boards/${week}/items/${decided.irritantId}`)).item;
      for (const reason of item.axes.client.reasons)
        await page.getByText(reason, { exact: true }).first().waitFor();
      const verbatims = page.locator('ol.verbatim-list > li');
      await verbatims.first().waitFor();
      const all = await get(`/api/v1/verbatims?irritant=${decided.irritantId}&limit=100`);
      expect(await verbatims.count()).toBe(all.items.length);

      const word = /[\p{L}]{6,}/u.exec(decided.label)?.[0] ?? decided.label.split(' ')[0];
      const found = await get(
        `/api/v1/verbatims?irritant=${decided.irritantId}&q=${encodeURIComponent(word)}`,
      );
      await page.getByLabel('Search in these verbatims').fill(word);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await countIs(page.locator('ol.verbatim-list > li'), found.items.length);
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await countIs(page.locator('ol.verbatim-list > li'), all.items.length);
      await page.getByRole('heading', { name: `Decisions of ${week}` }).waitFor();
    });

    it('corrects the sentiment of a verbatim (audited, learnt by the next model)', async () => {
      const all = await get(`/api/v1/verbatims?irritant=${decided.irritantId}&limit=100`);
      const target = all.items[0];
      const other = target.sentimentLabel === 'positive' ? 'neutral' : 'positive';
      const row = page
        .locator('ol.verbatim-list > li')
        .filter({ hasText: target.text.slice(0, 60) })
        .first();
      // Selected, then corrected from the selection bar's dialog.
      await row.getByRole('checkbox', { name: /^Select the verbatim of/ }).check();
      await page.getByRole('button', { name: 'Correct sentiment…' }).click();
      const dialog = page.getByRole('dialog', { name: /^Correct the sentiment of 1 verbatim/ });
      await dialog.getByLabel('Sentiment').selectOption(other);
      await dialog.getByRole('button', { name: 'Correct sentiment' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect_(async () => (await get(`/api/v1/verbatims/${target.id}`)).sentimentLabel === other);
    });

    it('corrects the category of a verbatim', async () => {
      const all = await get(`/api/v1/verbatims?irritant=${decided.irritantId}&limit=100`);
      const target = all.items[all.items.length - 1];
      const other = target.category === 'customer_service' ? 'refund_exchange' : 'customer_service';
      const row = page
        .locator('ol.verbatim-list > li')
        .filter({ hasText: target.text.slice(0, 60) })
        .first();
      await row.getByRole('checkbox', { name: /^Select the verbatim of/ }).check();
      await page.getByRole('button', { name: 'Correct category…' }).click();
      const dialog = page.getByRole('dialog', { name: /^Correct the category of 1 verbatim/ });
      await dialog.getByLabel('New category').selectOption(other);
      await dialog.getByRole('button', { name: 'Correct category' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect_(async () => (await get(`/api/v1/verbatims/${target.id}`)).category === other);
    });

    it('merges the irritant into another picked by search', async () => {
      const board = await get(`/api/v1/boards/${week}`);
      const into = board.items.find(
        (item: { irritantId: string; category: string }) => item.irritantId !== decided.irritantId,
      );
      const before = await get(`/api/v1/irritants/${into.irritantId}`);
      const moving = await get(`/api/v1/irritants/${decided.irritantId}`);
      const section = page.getByRole('region', { name: 'Merge into another irritant' });
      await section.getByLabel('Search irritants').fill(into.label);
      await section.getByLabel('Merge into').selectOption(into.irritantId);
      await section.getByRole('button', { name: 'Merge…' }).click();
      await section.getByRole('button', { name: 'Confirm the merge' }).click();
      await page.waitForURL(new RegExp(`/irritants/${into.irritantId}`));
      // The merged-away id now leads to the irritant it was merged into.
      expect((await get(`/api/v1/irritants/${decided.irritantId}`)).id).toBe(into.irritantId);
      const after = await get(`/api/v1/irritants/${into.irritantId}`);
      expect(after.verbatimCount).toBe(before.verbatimCount + moving.verbatimCount);
      // Its label is remade from the merged words.
      await expectHeading(page, after.label);
    });

    it('shows customer payloads as text and runs none of them', async () => {
      const payload = await get(`/api/v1/verbatims/${xssId}`);
      expect(payload.irritantId).not.toBeNull();
      await page.goto(`${api.url}/irritants/${payload.irritantId}?week=${week}`);
      const text = page.locator('.verbatim-text').filter({ hasText: '<script>window.__xss=1</script>' });
      await text.waitFor();
      expect(await text.textContent()).toBe(payload.text);
      expect(payload.text).toContain('<img src=x onerror="window.__xss=2;alert(1)">');
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator('.verbatim-text script').count()).toBe(0);
      expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    });

    it('switches to French, and remembers it after a reload', async () => {
      await page.goto(`${api.url}/`);
      await expectHeading(page, `Board of ${week}`);
      await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'FR' }).click();
      await expectHeading(page, `Tableau de ${week}`);
      await page.getByRole('link', { name: 'À trier' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      await page.reload();
      await expectHeading(page, `Tableau de ${week}`);
      await page.getByRole('group', { name: 'Langue' }).getByRole('button', { name: 'EN' }).click();
      await expectHeading(page, `Board of ${week}`);
    });

    it('signs out; a viewer reads the board but may not decide', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in/);
      await signIn(viewer);
      await expectHeading(page, `Board of ${week}`);
      await page.getByText('You can read the board; triagers and admins decide.').waitFor();
      const decide = page
        .locator('table.board-table > tbody')
        .first()
        .getByRole('button', { name: /^Decide/ });
      expect(await decide.isDisabled()).toBe(true);
    });

    it('broke no policy and logged no error on the way', () => {
      const { consoleErrors, pageErrors, cspViolations, dialogs } = browser.problems;
      // The two failures the run asks for: who-am-I before signing in (which sends the visitor to
      // /sign-in) and the wrong password; Chromium logs every 4xx answer as a console error.
      const expected = (error: { text: string; url: string }) =>
        error.text.includes('status of 401') &&
        (error.url === `${api.url}/api/v1/me` || error.url === `${api.url}/auth/local`);
      const unexpected = consoleErrors.filter((error) => !expected(error));
      expect(consoleErrors.filter(expected).length).toBeLessThanOrEqual(3);
      expect({ unexpected, pageErrors, cspViolations, dialogs }).toEqual({
        unexpected: [],
        pageErrors: [],
        cspViolations: [],
        dialogs: [],
      });
    });
  });
});

async function expectHeading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** Waits for a condition the UI's last action makes true on the server. */
async function expect_(condition: () => Promise<boolean>): Promise<void> {
  await until(condition, (holds) => holds, { what: 'the UI action to reach the server' });
}

/** Waits until a list shows as many entries as the API says it should. */
async function countIs(locator: Locator, count: number): Promise<void> {
  await expect_(async () => (await locator.count()) === count);
}
