import { describeUiAcceptance } from './support/ui-acceptance';

// The acceptance walk in French (test/support/ui-acceptance.ts), a suite of its own so that it runs
// beside the English one.
describeUiAcceptance('fr');
