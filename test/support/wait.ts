/**
 * The one way the suites wait: on a condition, never for a fixed time. `until` polls a probe until
 * its answer satisfies the condition and returns that answer; past the timeout it fails, saying what
 * it waited for and what the probe answered last (a sleep would have let the assertion after it
 * pass or fail by chance). The default ceiling is generous: a condition that holds returns at once,
 * and a CI machine running every suite side by side on two cores is slow to reach some.
 */
export async function until<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  options: { what?: string; timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const { what = 'a condition', timeoutMs = 60_000, everyMs = 100 } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (performance.now() > deadline)
      throw new Error(`waited ${timeoutMs} ms for ${what}; last seen: ${describe(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return String(value);
  }
}
