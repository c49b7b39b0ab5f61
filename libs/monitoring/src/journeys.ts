import { performance } from 'node:perf_hooks';
import type { StepResult } from '@app/database';

/** One request of an HTTP journey. `{{name}}` in url, headers and body is a captured variable. */
export interface HttpStep {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (an object) or text. */
  body?: unknown;
  /** Variables taken from the JSON answer for later steps: name -> dotted path (`data.token`). */
  capture?: Record<string, string>;
  expect?: { status?: number; bodyContains?: string; maxMs?: number };
}

/** One scripted step of a browser journey. */
export interface BrowserStep {
  name: string;
  action: 'goto' | 'click' | 'fill' | 'waitFor' | 'assertText';
  url?: string;
  selector?: string;
  value?: string;
  text?: string;
}

export interface JourneyResult {
  ok: boolean;
  durationMs: number;
  steps: StepResult[];
  screenshot?: Buffer;
}

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function fill(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(TEMPLATE, (whole, name: string) => vars.get(name) ?? whole);
}

function fillDeep(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return fill(value, vars);
  if (Array.isArray(value)) return value.map((item) => fillDeep(item, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, vars)]));
  return value;
}

function pick(value: unknown, path: string): string | undefined {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return `${current}`;
  return current === undefined || current === null ? undefined : JSON.stringify(current);
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/** Marks the steps after a failure as skipped: they were not run. */
function skipRest<T extends { name: string }>(results: StepResult[], steps: readonly T[]): void {
  for (const step of steps.slice(results.length)) results.push({ name: step.name, status: 'skipped', ms: 0 });
}

/**
 * Runs an HTTP journey: each step's request with the variables captured so far, its assertions
 * (status, body, time), its captures; the first failure ends the journey. Cut at `timeoutMs`.
 */
export async function runHttpJourney(steps: readonly HttpStep[], timeoutMs: number): Promise<JourneyResult> {
  const vars = new Map<string, string>();
  const results: StepResult[] = [];
  const deadline = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  for (const step of steps) {
    const begin = performance.now();
    try {
      const body =
        step.body === undefined
          ? undefined
          : typeof step.body === 'string'
            ? fill(step.body, vars)
            : JSON.stringify(fillDeep(step.body, vars));
      const response = await fetch(fill(step.url, vars), {
        method: step.method,
        headers: {
          ...(typeof step.body === 'object' && step.body !== null
            ? { 'content-type': 'application/json' }
            : {}),
          ...(fillDeep(step.headers ?? {}, vars) as Record<string, string>),
        },
        body,
        redirect: 'manual',
        signal: deadline,
      });
      const text = await response.text();
      const ms = elapsed(begin);
      const expected = step.expect?.status ?? 200;
      let error: string | undefined;
      if (response.status !== expected) error = `answered ${response.status}, expected ${expected}`;
      else if (step.expect?.bodyContains && !text.includes(step.expect.bodyContains))
        error = `the answer does not contain "${step.expect.bodyContains}"`;
      else if (step.expect?.maxMs !== undefined && ms > step.expect.maxMs)
        error = `took ${ms} ms, over ${step.expect.maxMs} ms`;
      if (!error && step.capture) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          error = 'the answer is not JSON: nothing to capture';
        }
        for (const [name, path] of Object.entries(step.capture)) {
          if (error) break;
          const captured = pick(json, path);
          if (captured === undefined) error = `nothing at ${path} to capture as ${name}`;
          else vars.set(name, captured);
        }
      }
      results.push(
        error ? { name: step.name, status: 'failed', ms, error } : { name: step.name, status: 'ok', ms },
      );
      if (error) break;
    } catch (failure) {
      const error = deadline.aborted
        ? `cut after ${timeoutMs} ms`
        : failure instanceof Error
          ? failure.message
          : String(failure);
      results.push({ name: step.name, status: 'failed', ms: elapsed(begin), error });
      break;
    }
  }
  skipRest(results, steps);
  return {
    ok: results.every((result) => result.status === 'ok'),
    durationMs: elapsed(started),
    steps: results,
  };
}

/** Without these, Chromium tries to reach Google's services at every start (no network on many hosts). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The runner could not measure the journey at all (no browser to start, the browser died): an
 * infrastructure error, which says nothing about what customers go through.
 */
export class RunnerUnavailableError extends Error {
  override readonly name = 'RunnerUnavailableError';
}

/** A page the journey navigated to answered an error: which step it is charged to, and why. */
class BrokenPage extends Error {
  constructor(
    readonly step: number,
    readonly error: string,
  ) {
    super(error);
  }
}

/**
 * Runs a browser journey in headless Chromium (playwright-core): go to, click, fill, wait for, assert
 * text. The first failure ends it, with a screenshot of the page as it was. Cut at `timeoutMs`.
 *
 * A page that answers an error (4xx, 5xx) fails the step that loaded it at once, rather than the
 * next step timing out on the error page: the click that submitted a broken form fails, and when
 * the click's own request worked and redirected to a page that answered an error, the step that
 * reads that page fails (a broken e-ticket page after a good payment is the e-ticket's).
 * @throws RunnerUnavailableError when the browser cannot be started or dies under the journey.
 */
export async function runBrowserJourney(
  steps: readonly BrowserStep[],
  timeoutMs: number,
  /** The config's CHROMIUM_PATH (Debian's Chromium, which tools/ensure-test-services.sh installs). */
  chromiumPath: string,
): Promise<JourneyResult> {
  const started = performance.now();
  let browser: import('playwright-core').Browser;
  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  } catch (failure) {
    const message = failure instanceof Error ? failure.message.split('\n')[0] : String(failure);
    throw new RunnerUnavailableError(`the browser could not start: ${message}`);
  }
  const results: StepResult[] = [];
  let screenshot: Buffer | undefined;
  const cut = setTimeout(() => void browser.close(), timeoutMs);
  try {
    let page: import('playwright-core').Page;
    try {
      page = await browser.newPage();
    } catch (failure) {
      throw new RunnerUnavailableError(
        `the browser could not open a page: ${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)}`,
      );
    }
    page.setDefaultTimeout(Math.min(timeoutMs, 15_000));
    let active = 0;
    let broken: BrokenPage | null = null;
    let notify: ((broken: BrokenPage) => void) | null = null;
    const initiatedBy = new WeakMap<object, number>();
    const firstOf = (request: import('playwright-core').Request) => {
      let first = request;
      for (let from = first.redirectedFrom(); from; from = from.redirectedFrom()) first = from;
      return first;
    };
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame() && !request.redirectedFrom())
        initiatedBy.set(request, active);
    });
    page.on('response', (response) => {
      const request = response.request();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame() || response.status() < 400)
        return;
      if (broken) return;
      const first = firstOf(request);
      const by = initiatedBy.get(first) ?? active;
      // Redirected by a request that worked: the page it led to belongs to the step after.
      const step = first !== request ? Math.min(by + 1, steps.length - 1) : by;
      const found = new BrokenPage(
        step,
        `the page answered ${response.status()} (${new URL(response.url()).pathname})`,
      );
      broken = found;
      notify?.(found);
    });
    for (const [index, step] of steps.entries()) {
      active = index;
      const begin = performance.now();
      try {
        const already = broken as BrokenPage | null;
        if (already) throw already;
        const pageBroke = new Promise<never>((_, reject) => {
          notify = (found) => {
            if (found.step <= index) reject(found);
          };
        });
        pageBroke.catch(() => undefined);
        await Promise.race([runStep(page, step), pageBroke]);
        const found = broken as BrokenPage | null;
        if (found && found.step <= index) throw found;
        results.push({ name: step.name, status: 'ok', ms: elapsed(begin) });
      } catch (failure) {
        if (!browser.isConnected() && performance.now() - started < timeoutMs)
          throw new RunnerUnavailableError('the browser died during the journey');
        const timedOut = performance.now() - started >= timeoutMs;
        const found = broken as BrokenPage | null;
        const error = timedOut
          ? `cut after ${timeoutMs} ms`
          : found && found.step <= index
            ? found.error
            : failure instanceof Error
              ? failure.message.split('\n')[0]
              : String(failure);
        // A broken page charged to an earlier step (it was still loading when that step ended).
        const at = found && found.step < index && !timedOut ? found.step : index;
        results.splice(at);
        results.push({ name: steps[at].name, status: 'failed', ms: elapsed(begin), error });
        screenshot = await page.screenshot({ fullPage: true }).catch(() => undefined);
        break;
      } finally {
        notify = null;
      }
    }
  } finally {
    clearTimeout(cut);
    await browser.close().catch(() => undefined);
  }
  skipRest(results, steps);
  return {
    ok: results.every((result) => result.status === 'ok'),
    durationMs: elapsed(started),
    steps: results,
    ...(screenshot ? { screenshot } : {}),
  };
}

async function runStep(page: import('playwright-core').Page, step: BrowserStep): Promise<void> {
  switch (step.action) {
    case 'goto': {
      const response = await page.goto(step.url ?? '', { waitUntil: 'load' });
      if (response && response.status() >= 400) throw new Error(`answered ${response.status()}`);
      return;
    }
    case 'click':
      await page.click(step.selector ?? '');
      await page.waitForLoadState('load');
      return;
    case 'fill':
      await page.fill(step.selector ?? '', step.value ?? '');
      return;
    case 'waitFor':
      await page.waitForSelector(step.selector ?? '');
      return;
    case 'assertText': {
      const content = await page.textContent(step.selector ?? 'body');
      if (!content?.includes(step.text ?? ''))
        throw new Error(`"${step.text}" not found in ${step.selector ?? 'the page'}`);
      return;
    }
  }
}
