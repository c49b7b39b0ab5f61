import { isDigit } from './characters';

/** Luhn (ISO/IEC 7812) check over a string of digits: what every payment card number satisfies. */
export function passesLuhn(digits: string): boolean {
  return passesLuhnBetween(digits, 0, digits.length);
}

/**
 * Luhn check over the digits of `text` between `start` and `end`, skipping the separators, so that
 * grouped candidates need no compact copy.
 */
export function passesLuhnBetween(text: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) continue;
    let digit = code - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}
