/** A variable missing or malformed: its name, what it expects, and what it got (never a secret). */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(
      `${variable}: expected ${expected}${got === undefined ? ', got nothing' : `, got ${JSON.stringify(got)}`}`,
    );
    this.name = 'ConfigError';
  }
}
