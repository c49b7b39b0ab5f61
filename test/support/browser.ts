import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '@app/monitoring';
import { CHROMIUM, CHROMIUM_ENV, ensureChromium } from './chromium';

/** What went wrong in the page: console errors, uncaught exceptions, CSP violations, dialogs. */
export interface PageProblems {
  consoleErrors: { text: string; url: string }[];
  pageErrors: string[];
  cspViolations: string[];
  dialogs: string[];
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  close(): Promise<void>;
}

/**
 * Debian's Chromium through playwright-core, headless, with a fresh profile, at a laptop's
 * 1280x800. Every problem a page reports is recorded for the suite to assert on.
 */
export async function openBrowser(): Promise<TestBrowser> {
  await ensureChromium();
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'lb-ui-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    env: CHROMIUM_ENV,
    headless: true,
    args: ['--headless', ...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [] };
  // The policy's reports, from inside the page: a violation is not always a console error.
  await context.addInitScript(
    "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));",
  );
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (text.startsWith('CSP violation') || text.includes('Content Security Policy'))
        problems.cspViolations.push(text);
      else problems.consoleErrors.push({ text, url: message.location().url });
    });
    page.on('pageerror', (error) => problems.pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  };
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  context.on('page', watch);
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
