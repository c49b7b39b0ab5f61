/** What class-validator reports, as far as the wording needs it (no import of the library here). */
export interface ValidationProblem {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationProblem[];
}

/**
 * class-validator's nested errors as one line each, with the path to the field
 * (`turns.0.role must be customer, agent or bot`), for the 400s and boot errors people read.
 */
export function describeValidationErrors(errors: readonly ValidationProblem[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // Messages of ours already start with the field's name: the path is put before it, not twice.
      message.startsWith(error.property) ? `${path ? `${path}.` : ''}${message}` : `${here}: ${message}`,
    );
    return [...own, ...describeValidationErrors(error.children ?? [], here)];
  });
}
