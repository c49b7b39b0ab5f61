// The checksums behind the card and IBAN detectors, exported on their own for callers that validate
// a number a customer typed into a form rather than search free text.
export { passesLuhn } from './luhn';
export { IBAN_LENGTHS, passesIbanChecksum } from './iban';
