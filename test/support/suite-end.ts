/**
 * What a suite's fixtures must undo after everything else of the file: the APIs they started and
 * the databases they made. A suite's own `afterAll` hooks run in the order they are declared, so
 * one declared by a fixture at the top of a `describe` would run before the suite's (closing a
 * database under a client the suite still holds). This file's `afterAll` is declared at the top
 * level of every e2e and slow test file (jest's setupFilesAfterEnv), so it runs after all of them;
 * the undoing goes in reverse order of doing.
 */
const undo: (() => Promise<void>)[] = [];

/** Registers `step` to run once the test file is over, before the steps registered earlier. */
export function atSuiteEnd(step: () => Promise<void>): void {
  undo.push(step);
}

if (typeof afterAll === 'function') {
  afterAll(async () => {
    const errors: unknown[] = [];
    for (const step of undo.splice(0).reverse()) await step().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  });
}
