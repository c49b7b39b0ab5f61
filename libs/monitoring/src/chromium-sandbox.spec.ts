import { CHROMIUM_ARGS, chromiumCanSandbox } from './journeys';

describe('Chromium sandbox (issue 19)', () => {
  it('runs sandboxed where the machine allows it, and says --no-sandbox only where it does not', () => {
    const root = process.getuid?.() === 0;
    if (root) expect(chromiumCanSandbox()).toBe(false);
    expect(CHROMIUM_ARGS.includes('--no-sandbox')).toBe(!chromiumCanSandbox());
  });
});
