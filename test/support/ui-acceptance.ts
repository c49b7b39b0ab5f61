import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { IrritantTitleService } from '@app/analysis';
import { BoardService } from '@app/board';
import { Clock } from '@app/config';
import { Role } from '@app/database';
import { CHROMIUM_ARGS } from '@app/monitoring';
import { CHROMIUM } from './chromium';
import { isoWeekOf, previousWeek, weekBounds } from '@app/scoring';
import { webUiDirectory } from '../../apps/api/src/http/web-ui';
import { useApi } from './app';
import { ensureChromium } from './chromium';
import { waitForLastStage } from './database';
import { demoVerbatims } from './demo-data';
import { http } from './http';
import { ROOT } from './processes';

const ZONE = 'Europe/Paris';
/** A Wednesday: the board the app opens on is this week's, whatever day the suite runs. */
const NOW = new Date('2026-11-18T10:00:00Z');
type Language = 'en' | 'fr';
const WIDTHS = [1280, 390] as const;
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

/**
 * Words of the UI's English that have no business on a French page (none is also French: "total",
 * "source", "client", "menu", "page", "chat", "route", "comment", "service", "app", "web", "on",
 * "place", "performance", "verbatim" are not here). Customer words and
 * names are marked translate="no" (or carry their own lang) and are not read.
 */
const ENGLISH = new Set(
  (
    'the and with from this that these those week weeks loading search save cancel decide decided board ' +
    'customers customer business legal technical any none yes all filter filters clear previous next show ' +
    'more less load new unchanged up down sign out monitors monitor run runs now last first ' +
    'today yesterday ago failed failing healthy error errors retry try again open close settings add remove ' +
    'delete edit category categories channel channels language english payment refund account login fix ' +
    'watch reject owner release target answered unanswered overdue awaiting frozen live computed health lag ' +
    'stored polled poll key keys name status viewer triager developer available availability average ' +
    'median slow steps step screenshot something went wrong why ranks here quotes of in to for ' +
    'by is are was were has have not no yet when where who what which privacy booking delivery ' +
    'desktop unknown other praise idea feature prices fares outage exchange'
  ).split(' '),
);

/** What the loading wait reads of the page's document. */
interface DomLike {
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
}

interface Visit {
  name: string;
  path: string;
  /** What to do on the page before checking it: a state worth checking besides the first one. */
  prepare?: (page: Page) => Promise<void>;
}

interface Finding {
  page: string;
  language: string;
  width: number;
  problem: string;
}

/**
 * The acceptance walk of issue 18: every page of the triage UI, in English and French, at a
 * laptop's 1280 px and a phone's 390 px, against the built UI and the real API on PostgreSQL with
 * the demo data (the clock held on a Wednesday). On each: no horizontal scroll, no untranslated
 * text (no English word on a French page, no raw key such as customer_service), no console error
 * or page error, and no serious or critical axe violation. With UPDATE_SCREENSHOTS=1 it also
 * writes the README's screenshots (docs/screenshots/).
 *
 * One suite per language (test/ui-acceptance.e2e-spec.ts, test/ui-acceptance-fr.e2e-spec.ts), so
 * that the two walks run in parallel workers: as one file it was the longest path of `npm test`.
 * The checks that are not per language (sign-in redirect, API documentation, week picker, errors,
 * phone cards, screenshots) run with the English one.
 */
export function describeUiAcceptance(language: Language): void {
  describe(`UI acceptance: every page in ${language}, laptop and phone`, () => {
    const { api, db } = useApi({ env: { LOCAL_ACCOUNTS: 'true' } });
    let browser: Browser;
    let admin: string;
    let account: { email: string; password: string };
    let week: string;
    let irritantId: string;
    const contexts: BrowserContext[] = [];
    const findings: Finding[] = [];
    const visits: Visit[] = [];

    /** A browser context in this language and width, signed in as the admin (or not). */
    const contextFor = async (language: string, width: number, signedIn = true): Promise<BrowserContext> => {
      const context = await browser.newContext({
        locale: language === 'fr' ? 'fr-FR' : 'en-GB',
        timezoneId: ZONE,
        viewport: { width, height: width < 700 ? 844 : 800 },
        deviceScaleFactor: 1,
      });
      contexts.push(context);
      context.setDefaultTimeout(60_000);
      // The language a person chose, as the switch remembers it.
      await context.addInitScript(`localStorage.setItem('loveboard.language', '${language}')`);
      if (signedIn) {
        const response = await context.request.post(`${api.url}/auth/local`, { data: account });
        expect(response.status()).toBe(204);
      }
      return context;
    };

    /** Collects the page's console errors and warnings and its uncaught errors into `problems()`. */
    const watch = (page: Page, problems: () => string[]) => {
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems().push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems().push(`page error: ${error.message}`));
    };

    /** Goes to a path and waits until the page has drawn what it loads (no skeleton, no "Loading…"). */
    const open = async (page: Page, path: string): Promise<void> => {
      await page.goto(`${api.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle', { timeout: 20_000 }).catch(() => undefined);
      // A function, not a string: the policy forbids eval in the page. (No DOM types in the tests.)
      await page.waitForFunction(() => {
        const dom = (globalThis as unknown as { document: DomLike }).document;
        return (
          dom.querySelector('[aria-busy="true"]') === null &&
          ![...dom.querySelectorAll('[role="status"]')].some((element) =>
            /^(Loading…|Chargement…)$/.test((element.textContent ?? '').trim()),
          )
        );
      });
    };

    /** A new page at `path`, its problems collected into `problems`. */
    const visit = async (context: BrowserContext, path: string, problems: string[]): Promise<Page> => {
      const page = await context.newPage();
      watch(page, () => problems);
      await open(page, path);
      return page;
    };

    /** Text a person reads (or hears) in the page's language: customer words and names left out. */
    const pageWords = (page: Page): Promise<string> =>
      page.evaluate(`(() => {
      const skip = '[translate="no"], script, style, noscript, code, kbd, pre, .verbatim-text, svg title';
      const own = (element) =>
        (element.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang) ===
        document.documentElement.lang;
      const texts = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(skip)) continue;
        const lang = parent.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
        if (lang !== document.documentElement.lang) continue;
        texts.push(node.textContent ?? '');
      }
      // What assistive technologies read besides the text: labels, alternatives, titles.
      for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
        if (element.closest(skip) || !own(element)) continue;
        for (const attribute of ['aria-label', 'title', 'placeholder', 'alt'])
          texts.push(element.getAttribute(attribute) ?? '');
      }
      return texts.join(' \\n ');
    })()`);

    const check = async (page: Page, name: string, language: string, width: number, problems: string[]) => {
      const report = (problem: string) => findings.push({ page: name, language, width, problem });
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
      );
      if (scrollWidth > innerWidth) {
        // The elements that reach past the screen's edge, innermost first: where to look.
        const wide = await page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((element) => ![...element.children].some((child) => child.getBoundingClientRect().right > window.innerWidth + 1))
        .slice(0, 3)
        .map((element) => element.tagName.toLowerCase() + (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(element.getBoundingClientRect().right) + ' px')`);
        report(`scrolls sideways: ${scrollWidth} px wide in ${innerWidth} px (${wide.join(' | ')})`);
      }
      const text = await pageWords(page);
      for (const raw of new Set(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])) report(`raw key: ${raw}`);
      if (language === 'fr') {
        const english = new Set(
          (text.match(/[\p{L}]+/gu) ?? []).filter((word) => ENGLISH.has(word.toLowerCase())),
        );
        if (english.size > 0) {
          // Where they are: a few lines around the first ones, to find them in the page.
          const where = text
            .split('\n')
            .filter((line) => (line.match(/[\p{L}]+/gu) ?? []).some((word) => english.has(word)))
            .slice(0, 4)
            .map((line) => line.trim().slice(0, 80));
          report(`English words: ${[...english].join(', ')} (in: ${where.join(' | ')})`);
        }
      }
      for (const problem of problems) report(problem);
      // Violations only: the passes' details are not read, and collecting them was a third of the
      // walk's time on the large pages (board, explorer). Legacy mode (one axe.run in the page):
      // the default runs axe per frame, carries every check's result out as JSON and finishes in a
      // new blank page, 3.5 s of a board page's 4.6 s here; the UI has no frames to run it in.
      const axe = await new AxeBuilder({ page })
        .options({ resultTypes: ['violations'] })
        .setLegacyMode(true)
        .analyze();
      for (const violation of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
        report(
          `axe ${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
            .slice(0, 3)
            .map((node) => node.target.join(' '))
            .join(' | ')})`,
        );
    };

    const screenshot = async (page: Page, file: string) => {
      if (!SCREENSHOTS) return;
      const directory = join(ROOT, 'docs', 'screenshots');
      await mkdir(directory, { recursive: true });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(directory, file), fullPage: false, animations: 'disabled' });
    };

    beforeAll(async () => {
      if (webUiDirectory() === null)
        throw new Error('dist/web is missing: run `npx vite build --config apps/web/vite.config.mts` first');
      await ensureChromium();
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      admin = await api.key(Role.Admin);
      const created = await http(api.url, 'POST', '/api/v1/users', {
        key: admin,
        body: { email: 'camille@acceptance.test', role: 'admin', displayName: 'Camille Martin' },
      });
      expect(created.status).toBe(201);
      account = { email: 'camille@acceptance.test', password: created.body.password as string };

      api.app.get(Clock).travel(NOW);
      week = isoWeekOf(NOW, ZONE);
      const rows = await demoVerbatims(NOW, ZONE);
      const ids: string[] = [];
      for (let i = 0; i < rows.length; i += 1_000) {
        const response = await http(api.url, 'POST', '/api/v1/verbatims', {
          key: admin,
          body: rows.slice(i, i + 1_000),
        });
        expect(response.status).toBe(201);
        ids.push(...response.body.items.map((item: { id: string }) => item.id));
      }
      await waitForLastStage(db.url, ids);
      // Titles in the customers' words, as the periodic job gives them within seconds of a start.
      while ((await api.app.get(IrritantTitleService).retitle()) > 0);
      // Page load time for the last weeks, two points a week, so that the KPI page draws a line.
      const points = [0, 1, 2, 3, 4, 5].flatMap((weeksAgo) => {
        const { start } = weekBounds(
          isoWeekOf(new Date(NOW.getTime() - weeksAgo * 7 * 86_400_000), ZONE),
          ZONE,
        );
        return [0, 1].map((day) => ({
          at: new Date(start.getTime() + day * 86_400_000 + 36_000_000).toISOString(),
          value: 1_600 + ((weeksAgo * 137 + day * 61) % 700),
        }));
      });
      const posted = await http(api.url, 'POST', '/api/v1/kpis/page_load_time/points', {
        key: admin,
        body: { points },
      });
      expect(posted.status).toBe(200);
      const boards = api.app.get(BoardService);
      const last = previousWeek(week, ZONE);
      await boards.freeze(previousWeek(last, ZONE));
      await boards.freeze(last);
      await boards.compute(week);
      const board = (await http(api.url, 'GET', `/api/v1/boards/${week}`, { key: admin })).body;
      irritantId = board.items[0].irritantId as string;

      visits.push(
        { name: 'board', path: '/' },
        { name: 'board of last week', path: `/boards/${last}` },
        { name: 'irritant', path: `/irritants/${irritantId}?week=${week}` },
        { name: 'verbatims', path: '/verbatims' },
        { name: 'triage', path: '/triage' },
        { name: 'kpis', path: '/kpis' },
        { name: 'monitors', path: '/monitors' },
        { name: 'sources', path: '/sources' },
        { name: 'integrations', path: '/integrations' },
        { name: 'print', path: `/boards/${week}/print` },
        {
          name: 'api keys',
          path: '/api-keys',
          // Checked with a key just made: the form, the list and the key shown once, all at once.
          prepare: async (page) => {
            const form = page.locator('form.keys-form');
            await form.locator('input').fill('acceptance');
            await form.locator('input').press('Enter');
            await page.locator('.keys-shown input[readonly]').waitFor();
            await page
              .locator('table.simple-table th[scope="row"]', { hasText: 'acceptance' })
              .first()
              .waitFor();
          },
        },
        { name: 'not found', path: '/nowhere' },
      );
    });

    afterAll(async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
    });

    for (const width of WIDTHS)
      it(`reads well in ${language} at ${width} px: every page`, async () => {
        const context = await contextFor(language, width);
        // One tab goes from page to page, as a person would: each visit is a full navigation (a
        // new document), and the tab's renderer and compiled scripts serve them all (a new tab per
        // page was a third of the browser's work).
        const page = await context.newPage();
        let problems: string[] = [];
        watch(page, () => problems);
        for (const { name, path, prepare } of visits) {
          problems = [];
          await open(page, path);
          await prepare?.(page);
          await check(page, name, language, width, problems);
        }
        await page.close();
        const signedOut = await contextFor(language, width, false);
        const signInProblems: string[] = [];
        const signIn = await visit(signedOut, '/sign-in', signInProblems);
        await check(signIn, 'sign-in', language, width, signInProblems);
        expect(
          findings.filter((finding) => finding.language === language && finding.width === width),
        ).toEqual([]);
      });

    if (language !== 'en') return;

    it('sends a visitor to sign in without an error in the console', async () => {
      const context = await contextFor('en', 1280, false);
      const problems: string[] = [];
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${api.url}/boards/${week}`);
      await page.waitForURL(/\/sign-in\?returnTo=/);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(problems).toEqual([]);
    });

    it('opens the API documentation to a signed-in admin', async () => {
      const context = await contextFor('en', 1280);
      const page = await context.newPage();
      const response = await page.goto(`${api.url}/api/docs/`);
      expect(response?.status()).toBe(200);
      await page.locator('.swagger-ui').first().waitFor();
    });

    it('keeps the week picker on the week of the title while it loads', async () => {
      const context = await contextFor('en', 1280);
      const page = await context.newPage();
      const last = previousWeek(week, ZONE);
      // The board's answer held back: the page shows its loading state for as long as needed.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(`**/api/v1/boards/${last}?**`, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${api.url}/boards/${last}`);
      await page.getByRole('heading', { level: 1, name: `Board of ${last}` }).waitFor();
      await page.locator('.board-skeleton').waitFor();
      expect(await page.locator('.week-select select').inputValue()).toBe(last);
      release();
      await page.locator('table.board-table > tbody').first().waitFor();
      expect(await page.locator('.week-select select').inputValue()).toBe(last);
    });

    it('says what failed, in words, and tries again on request', async () => {
      const context = await contextFor('fr', 1280);
      const page = await context.newPage();
      // Two: the first answer and the one automatic retry (react-query retries once).
      let failures = 2;
      await page.route(`**/api/v1/boards/${week}?**`, async (route) => {
        if (failures-- > 0)
          await route.fulfill({ status: 500, contentType: 'application/json', body: '{"statusCode":500}' });
        else await route.continue();
      });
      await page.goto(`${api.url}/boards/${week}`);
      const alert = page.getByRole('alert').filter({ hasText: 'Le serveur n’a pas pu répondre' });
      await alert.waitFor();
      await alert.getByRole('button', { name: 'Réessayer' }).click();
      await page.locator('table.board-table > tbody').first().waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
    });

    it('shows the board as cards on a phone, each with its figures and Decide', async () => {
      const context = await contextFor('en', 390);
      const problems: string[] = [];
      const page = await visit(context, '/', problems);
      const card = page.locator('table.board-table > tbody').first();
      for (const selector of ['.total', '.customers', '.movement', '.decision-cell'])
        expect(await card.locator(selector).first().isVisible()).toBe(true);
      const decide = card.getByRole('button', { name: /^Decide/ });
      expect(await decide.isVisible()).toBe(true);
      const box = await decide.boundingBox();
      expect(box && box.x + box.width <= 390).toBe(true);
      // The navigation folds behind a menu button.
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await page.getByRole('link', { name: 'KPIs' }).isVisible()).toBe(false);
      await menu.click();
      await page.getByRole('link', { name: 'KPIs' }).click();
      await page.getByRole('heading', { level: 1, name: 'KPIs' }).waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await page.close();
    });

    it('writes the README screenshots', async () => {
      const laptop = await contextFor('en', 1280);
      const problems: string[] = [];
      const board = await visit(laptop, '/', problems);
      await screenshot(board, 'board.png');
      const irritant = await visit(laptop, `/irritants/${irritantId}?week=${week}`, problems);
      await screenshot(irritant, 'irritant.png');
      const kpis = await visit(laptop, '/kpis', problems);
      await screenshot(kpis, 'kpis.png');
      const digest = await laptop.newPage();
      const response = await digest.goto(`${api.url}/api/v1/digests/${previousWeek(week, ZONE)}?lang=en`);
      expect(response?.status()).toBe(200);
      await screenshot(digest, 'digest.png');
      const phone = await contextFor('en', 390);
      const phoneBoard = await visit(phone, '/', problems);
      await screenshot(phoneBoard, 'board-phone.png');
      const signedOut = await contextFor('en', 1280, false);
      const signIn = await visit(signedOut, '/sign-in', problems);
      await screenshot(signIn, 'sign-in.png');
      expect(problems).toEqual([]);
    });
  });
}
