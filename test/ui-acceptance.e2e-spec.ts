import { describeUiAcceptance } from './support/ui-acceptance';

// The acceptance walk in English, and the checks that are not per language (test/support/ui-acceptance.ts).
describeUiAcceptance('en');
