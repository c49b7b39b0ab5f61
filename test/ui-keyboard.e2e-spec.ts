import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '@app/monitoring';
import { CHROMIUM } from './support/chromium';
import { Role } from '@app/database';
import { webUiDirectory } from '../apps/api/src/http/web-ui';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { ensureChromium } from './support/chromium';
import { waitForLastStage } from './support/database';
import { http } from './support/http';
import { until } from './support/wait';

// Wednesday of 2026-W48 in Paris: the week's board is live.
const NOW = '2026-11-25T10:00:00+01:00';
const WEEK = '2026-W48';

/**
 * The meeting's actions on the irritant page and the explorer, by keyboard alone: Tab to reach a
 * control, Enter or Space to use it, arrows in radio groups and lists, Escape to back out. Each
 * flow is checked through the public API (what was stored) and the page (names, not ids). A real
 * Chromium on the built UI, a real API on the test PostgreSQL.
 */
describe('UI for the meeting: decide, override, correct, split, merge by keyboard; honest charts', () => {
  const { api, db } = useApi({ env: { LOCAL_ACCOUNTS: 'true', CLOCK_START: NOW } });
  let browser: Browser;
  let page: Page;
  let admin: string;
  let viewer: string;
  let payment: string;
  const consoleErrors: string[] = [];

  const get = async (path: string) => (await http(api.url, 'GET', path, { key: viewer })).body;

  /** Presses `key` (Tab, Shift+Tab) until `target` has the focus (in the target's own page). */
  async function focus(target: Locator, key = 'Tab', max = 250): Promise<void> {
    await target.waitFor();
    for (let presses = 0; presses < max; presses++) {
      if (
        await target.evaluate(
          (element) =>
            element ===
            (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
        )
      )
        return;
      await target.page().keyboard.press(key);
    }
    throw new Error(`${key} never reached ${target.toString()}`);
  }

  const focused = (target: Locator) =>
    target.evaluate(
      (element) =>
        element ===
        (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
    );

  beforeAll(async () => {
    if (webUiDirectory() === null)
      throw new Error('dist/web is missing: run `npx vite build --config apps/web/vite.config.mts` first');
    await ensureChromium();
    [admin, viewer] = await Promise.all([api.key(Role.Admin), api.key(Role.Viewer)]);
    const created = await http(api.url, 'POST', '/api/v1/users', {
      key: admin,
      body: { email: 'tess@keyboard.test', role: 'triager', displayName: 'Tess Triager' },
    });
    expect(created.status).toBe(201);

    const payments = [
      'Paiement refusé à l’étape 3-D Secure, ma banque dit que tout va bien',
      'Mon paiement est refusé au moment du 3-D Secure sur mobile',
      'Paiement refusé encore au 3D Secure, la banque valide pourtant',
      'Toujours ce paiement refusé après la validation 3-D Secure de ma banque',
    ];
    const refunds = [
      'Remboursement de mon billet annulé toujours pas reçu après trois semaines',
      'Le remboursement du billet annulé n’est jamais arrivé sur mon compte',
      'J’attends le remboursement de mon billet annulé depuis un mois',
    ];
    const posted = await http(api.url, 'POST', '/api/v1/verbatims', {
      key: admin,
      body: [...payments, ...refunds].map((text, index) =>
        verbatim({ source: 'keyboard', text, receivedAt: `2026-11-2${3 + (index % 2)}T0${index}:30:00Z` }),
      ),
    });
    expect(posted.status).toBe(201);
    await waitForLastStage(
      db.url,
      posted.body.items.map((item: { id: string }) => item.id),
    );
    const board = await until(
      () => get(`/api/v1/boards/${WEEK}`),
      (read) => read.items?.some((item: { category: string }) => item.category === 'payment'),
      { what: 'the payment irritant on the board' },
    );
    payment = board.items.find((item: { category: string }) => item.category === 'payment').irritantId;

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(60_000);
    const signedIn = await context.request.post(`${api.url}/auth/local`, {
      data: { email: 'tess@keyboard.test', password: created.body.password },
    });
    expect(signedIn.status()).toBe(204);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${api.url}/irritants/${payment}?week=${WEEK}`);
    await page.getByRole('heading', { name: 'Why it ranks here' }).waitFor();
    await page.locator('ol.verbatim-list > li').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('decides from the irritant page: Enter opens the dialog, arrows pick, Escape backs out', async () => {
    const decide = page.getByRole('button', { name: 'Decide…' });
    await focus(decide);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Decide on/ });
    await dialog.waitFor();
    // The dialog opens on its first choice; Escape closes it and gives focus back to Decide.
    expect(await focused(dialog.getByRole('radio', { name: 'Fix' }))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(decide)).toBe(true);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    // fix → small evolution → route → watch
    for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowDown');
    expect(await dialog.getByRole('radio', { name: 'Watch' }).isChecked()).toBe(true);
    await focus(dialog.getByRole('textbox', { name: 'Comment' }));
    await page.keyboard.type('Seen in three channels, watch next week');
    await focus(dialog.getByRole('button', { name: 'Save decision' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });

    const history = await until(
      () => get(`/api/v1/boards/${WEEK}/items/${payment}/decisions`),
      (rows) => rows.length === 1,
      { what: 'the decision stored' },
    );
    expect(history[0]).toMatchObject({ kind: 'watch', byName: 'Tess Triager' });
    const decisions = page.getByRole('region', { name: `Decisions of ${WEEK}` });
    await decisions.getByText('by Tess Triager', { exact: false }).waitFor();
    expect(await decisions.textContent()).not.toMatch(/user:/);
  });

  it('overrides an axis: Enter opens the form, Enter saves, the history names the person', async () => {
    const summary = page.locator('summary', { hasText: 'Override the Legal score' });
    await focus(summary);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('85');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Card data at stake');
    await page.keyboard.press('Enter');
    const history = page.getByRole('region', { name: 'Override history' });
    await history.getByRole('cell', { name: 'Tess Triager' }).waitFor();
    expect(await history.textContent()).not.toMatch(/user:/);
    const stored = await get(`/api/v1/irritants/${payment}/overrides`);
    expect(stored).toEqual([expect.objectContaining({ axis: 'legal', score: 85, byName: 'Tess Triager' })]);
    // Saved, the form closes and the focus is back on its summary.
    expect(await focused(summary)).toBe(true);
  });

  it('corrects the category of selected verbatims from the selection bar', async () => {
    const before = await get(`/api/v1/verbatims?irritant=${payment}&limit=100`);
    const last = before.items[before.items.length - 1];
    const checkbox = page.getByRole('checkbox', { name: /^Select the verbatim of/ }).last();
    await focus(checkbox);
    await page.keyboard.press('Space');
    expect(await checkbox.isChecked()).toBe(true);
    const correct = page.getByRole('button', { name: 'Correct category…' });
    await focus(correct, 'Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Correct the category of 1 verbatim' });
    await dialog.waitFor();
    const select = dialog.getByLabel('New category');
    expect(await focused(select)).toBe(true);
    // Typing an option's first letters picks it in a closed list.
    await page.keyboard.type('Customer');
    expect(await select.inputValue()).toBe('customer_service');
    await focus(dialog.getByRole('button', { name: 'Correct category' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await until(
      () => get(`/api/v1/verbatims/${last.id}`),
      (read) => read.category === 'customer_service',
      { what: 'the corrected category' },
    );
  });

  it('splits selected verbatims into a new irritant, then merges it back, Escape cancelling once', async () => {
    const before = (await get(`/api/v1/irritants/${payment}`)).verbatimCount;
    const checkbox = page.getByRole('checkbox', { name: /^Select the verbatim of/ }).first();
    await focus(checkbox);
    await page.keyboard.press('Space');
    const split = page.getByRole('button', { name: 'Split…' });
    await focus(split, 'Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Split 1 verbatim into a new irritant' });
    await dialog.waitFor();
    // Opened on its action: Enter splits.
    expect(await focused(dialog.getByRole('button', { name: 'Split into a new irritant' }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/irritants/') && !url.pathname.endsWith(payment));
    const created = new URL(page.url()).pathname.split('/').pop() ?? '';
    expect((await get(`/api/v1/irritants/${created}`)).verbatimCount).toBe(1);
    await page.getByRole('heading', { name: 'Merge into another irritant' }).waitFor();

    const merge = page.getByRole('region', { name: 'Merge into another irritant' });
    await focus(merge.getByLabel('Merge into'));
    await page.keyboard.press('Home');
    await until(
      () => merge.getByLabel('Merge into').inputValue(),
      (value) => value !== '',
      { what: 'an irritant to merge into' },
    );
    // Pick the payment irritant in the list by keyboard (arrows move through the options).
    for (let step = 0; step < 20 && (await merge.getByLabel('Merge into').inputValue()) !== payment; step++)
      await page.keyboard.press('ArrowDown');
    expect(await merge.getByLabel('Merge into').inputValue()).toBe(payment);
    const start = merge.getByRole('button', { name: 'Merge…' });
    await focus(start);
    await page.keyboard.press('Enter');
    const confirm = merge.getByRole('button', { name: 'Confirm the merge' });
    await confirm.waitFor();
    expect(await focused(confirm)).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await focused(start)).toBe(true);
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.endsWith(payment));
    expect((await get(`/api/v1/irritants/${payment}`)).verbatimCount).toBe(before);
  });

  it('corrects a category from the explorer by keyboard', async () => {
    await page.goto(`${api.url}/verbatims?q=remboursement`);
    const rows = page.locator('tbody tr');
    await until(
      () => rows.allTextContents(),
      (texts) => texts.length === 3,
      { what: 'the three refund verbatims' },
    );
    // The search's words are marked, as text.
    expect(
      (await rows.first().locator('mark').allTextContents()).map((word) => word.toLowerCase()),
    ).toContain('remboursement');
    const target = rows.first();
    const id = (await target.getAttribute('data-verbatim-id')) ?? '';
    await focus(target.getByRole('button', { name: /^Correct the category of the verbatim of/ }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /^Correct the category of the verbatim of/ });
    await dialog.waitFor();
    await page.keyboard.type('Payment');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await until(
      () => get(`/api/v1/verbatims/${id}`),
      (read) => read.category === 'payment',
      { what: 'the category corrected from the explorer' },
    );
  });

  it('charts the irritant’s customers per week over 12 weeks, the running week marked partial', async () => {
    await page.goto(`${api.url}/irritants/${payment}?week=${WEEK}`);
    const reach = page.getByRole('region', { name: 'Customers per week, last 12 weeks' });
    const rows = reach.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(12);
    expect(await rows.last().locator('th').textContent()).toBe(`${WEEK} so far (the week is not over)`);
    const weekly = await get(`/api/v1/irritants/${payment}/weekly`);
    expect(await rows.last().locator('td').first().textContent()).toBe(String(weekly[11].customers));
    await reach.locator('.charts-legend').getByText('W48 so far (the week is not over)').waitFor();
    // Quotes come before the reasons.
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings.indexOf('What customers say')).toBeLessThan(headings.indexOf('Why it ranks here'));
  });

  it('says "not enough answers" for an NPS above target from three answers, with n and the interval', async () => {
    const answers = [10, 2, 10].map((score, index) => ({
      answerId: `kb-${index}`,
      kind: 'nps',
      score,
      answeredAt: '2026-11-24T10:00:00Z',
    }));
    expect(
      (await http(api.url, 'POST', '/api/v1/surveys/answers', { key: admin, body: { answers } })).status,
    ).toBe(200);
    await page.goto(`${api.url}/kpis`);
    const card = page.locator('article[data-kpi="nps"]');
    await card.getByText('not enough answers', { exact: true }).waitFor();
    expect(await card.getByText('on target', { exact: true }).count()).toBe(0);
    // 2 promoters and a detractor: 33 points, give or take the interval, from 3 answers.
    expect(await card.locator('dd').first().textContent()).toMatch(
      /^33[.\d]* points ± [\d.]+ \(3 answers\)$/,
    );
  });

  it('creates an API key by keyboard alone: signed in, the key shown once, focused, copied, and it works', async () => {
    const created = await http(api.url, 'POST', '/api/v1/users', {
      key: admin,
      body: { email: 'ada@keyboard.test', role: 'admin', displayName: 'Ada Admin' },
    });
    expect(created.status).toBe(201);
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(60_000);
    // The copy button writes to the clipboard; reading it back here checks what it wrote.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    const adminPage = await context.newPage();
    adminPage.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const keyboard = adminPage.keyboard;

    // Signing in: Tab to each field, type, Enter.
    await adminPage.goto(`${api.url}/sign-in`);
    await focus(adminPage.getByLabel('E-mail address'));
    await keyboard.type('ada@keyboard.test');
    await focus(adminPage.getByLabel('Password'));
    await keyboard.type(created.body.password as string);
    await keyboard.press('Enter');
    await adminPage.waitForURL((url) => url.pathname === '/');

    // From the board to the keys by the navigation, then to the form.
    await focus(adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }));
    await keyboard.press('Enter');
    await adminPage.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    const form = adminPage.getByRole('form', { name: 'Create a key' });
    await focus(form.getByRole('textbox', { name: 'Name' }));
    await keyboard.type('keyboard bridge');
    await keyboard.press('Tab');
    const role = form.getByLabel('Role (what the key may do)');
    expect(await focused(role)).toBe(true);
    // A closed list picks the option its first letters name.
    await keyboard.type('Dev');
    expect(await role.inputValue()).toBe('developer');
    expect(await form.getByText('Reads, and pulls and updates the tickets of decided fixes.').count()).toBe(
      1,
    );
    await keyboard.press('Tab');
    const lifetime = form.getByLabel('Expires after');
    expect(await focused(lifetime)).toBe(true);
    await keyboard.type('30');
    expect(await lifetime.inputValue()).toBe('30');
    await keyboard.press('Tab');
    expect(await focused(form.getByRole('button', { name: 'Create the key' }))).toBe(true);
    await keyboard.press('Enter');

    // Shown once, with the focus on it and the whole key selected: Ctrl+C would copy it as well.
    const shown = adminPage.getByRole('region', { name: 'New key for keyboard bridge' });
    const secret = shown.getByRole('textbox', { name: 'The new key' });
    await secret.waitFor();
    expect(await focused(secret)).toBe(true);
    const key = await secret.inputValue();
    expect(key).toMatch(/^lb_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(
      await secret.evaluate((element) => {
        const input = element as unknown as { selectionStart: number; selectionEnd: number; value: string };
        return input.selectionStart === 0 && input.selectionEnd === input.value.length;
      }),
    ).toBe(true);
    await keyboard.press('Tab');
    expect(await focused(shown.getByRole('button', { name: 'Copy the key' }))).toBe(true);
    await keyboard.press('Enter');
    await shown.getByText('Copied to the clipboard.').waitFor();
    expect(
      await adminPage.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).toBe(key);

    // The list has it: its name, role and lifetime, and only the key's public start.
    const row = adminPage.getByRole('row', { name: /^keyboard bridge/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      `lb_${key.split('_')[1]}_…`,
      'Developer',
      'never',
      expect.stringMatching(/2\d{3}/),
      'active',
      'RotateRevoke',
    ]);
    const listed = (await http(api.url, 'GET', '/api/v1/api-keys', { key: admin })).body as {
      name: string;
      role: string;
      createdAt: string;
      expiresAt: string | null;
    }[];
    const stored = listed.find((one) => one.name === 'keyboard bridge');
    expect(stored).toMatchObject({ role: 'developer' });
    // 30 days from its creation (the database's instant and the API's may differ by a few ms).
    const days = Date.parse(stored?.expiresAt ?? '') - Date.parse(stored?.createdAt ?? '');
    expect(Math.abs(days - 30 * 86_400_000)).toBeLessThan(60_000);
    expect(JSON.stringify(listed)).not.toContain(key);

    // The key works, with the role chosen and no more: tickets yes, the keys no.
    expect((await http(api.url, 'GET', '/api/v1/tickets', { key })).status).toBe(200);
    expect((await http(api.url, 'GET', '/api/v1/api-keys', { key })).status).toBe(403);

    // Done: the key is gone from the page for good, the focus back on the form to make another.
    await focus(shown.getByRole('button', { name: 'Done, hide the key' }));
    await keyboard.press('Enter');
    await shown.waitFor({ state: 'detached' });
    expect(await focused(form.getByRole('textbox', { name: 'Name' }))).toBe(true);
    expect(await adminPage.content()).not.toContain(key);
    await adminPage.reload();
    await row.waitFor();
    expect(await adminPage.content()).not.toContain(key);
    await context.close();
  });

  it('logged no error in the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
