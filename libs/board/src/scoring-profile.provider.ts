import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DEFAULT_PROFILE, ScoringProfile, ScoringProfileError, parseScoringProfile } from '@app/scoring';

export const SCORING_PROFILE = Symbol('SCORING_PROFILE');

/** The profile in use: SCORING_PROFILE's file, checked at boot (a bad one stops the process), or the default. */
export const scoringProfileProvider: Provider = {
  provide: SCORING_PROFILE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): ScoringProfile => {
    if (config.scoringProfilePath === null) return DEFAULT_PROFILE;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(config.scoringProfilePath, 'utf8'));
    } catch (error) {
      throw new ScoringProfileError(
        `SCORING_PROFILE: cannot read ${config.scoringProfilePath}: ${(error as Error).message}`,
      );
    }
    return parseScoringProfile(raw);
  },
};
