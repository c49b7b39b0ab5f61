import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { describeValidationErrors } from '@app/config';

export const AXES = ['client', 'business', 'legal', 'technical'] as const;
export type Axis = (typeof AXES)[number];

/** A words rule: points when at least one verbatim of the week matches it (case and accents folded). */
export class KeywordRule {
  /** Its name in English, said in the reasons ("2 verbatims mention GDPR / RGPD"). */
  @IsString()
  @Length(1, 60)
  name: string;

  /** Its name in French ("2 verbatims mentionnent le RGPD"); the English one when absent. */
  @IsOptional()
  @IsString()
  @Length(1, 60)
  nameFr?: string;

  /** A regular expression over the folded text (lower case, no accents), French and English. */
  @IsString()
  @Length(1, 2_000)
  pattern: string;

  @IsNumber()
  @Min(0)
  @Max(100)
  points: number;
}

export class AxisWeights {
  @IsNumber() @Min(0) @Max(1) client: number;
  @IsNumber() @Min(0) @Max(1) business: number;
  @IsNumber() @Min(0) @Max(1) legal: number;
  @IsNumber() @Min(0) @Max(1) technical: number;
}

export class ClientRules {
  /** Customers at which the count part is full (log scale: the first customers count most). */
  @IsNumber() @Min(1) customersAtFull: number;
  @IsNumber() @Min(0) @Max(100) customersPoints: number;
  /** Growth vs the previous week at which the growth part is full (1 = +100%). */
  @IsNumber() @Min(0.01) growthAtFull: number;
  @IsNumber() @Min(0) @Max(100) growthPoints: number;
  @IsNumber() @Min(0) @Max(100) negativityPoints: number;
  @IsNumber() @Min(0) @Max(100) pointsPerDetractor: number;
  @IsNumber() @Min(0) @Max(100) detractorPoints: number;
  @IsNumber() @Min(1) channelsAtFull: number;
  @IsNumber() @Min(0) @Max(100) channelPoints: number;
}

export class BusinessRules {
  /**
   * Points for the journey stage a category blocks (category key -> stage name, in English and
   * optionally in French, and points).
   */
  @IsObject() journeyStages: Record<string, { stage: string; stageFr?: string; points: number }>;
  @IsNumber() @Min(0) averageBasketEuros: number;
  /** Revenue at risk at which the revenue part is full. */
  @IsNumber() @Min(1) revenueAtFullEuros: number;
  @IsNumber() @Min(0) @Max(100) revenuePoints: number;
  @ValidateNested() @Type(() => KeywordRule) promiseBroken: KeywordRule;
  /** A linked journey monitor failing that week: customers cannot buy through it. */
  @IsNumber() @Min(0) @Max(100) pointsPerFailingJourney: number;
}

export class LegalRules {
  /** Points a category carries by itself (legal_privacy, accessibility). */
  @IsObject() categories: Record<string, number>;
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => KeywordRule)
  keywords: KeywordRule[];
}

export class TechnicalRules {
  @IsNumber() @Min(0) @Max(100) pointsPerFailingMonitor: number;
  @IsNumber() @Min(0) @Max(100) pointsPerSlowMonitor: number;
  @IsNumber() @Min(0) @Max(100) pointsPerKpiOffTarget: number;
  @IsNumber() @Min(0) @Max(100) pointsPerTerminal: number;
  /** Share of the week's verbatims saying the customer is blocked, at which the part is full. */
  @IsNumber() @Min(0.01) @Max(1) blockingShareAtFull: number;
  @IsNumber() @Min(0) @Max(100) blockingPoints: number;
  @ValidateNested() @Type(() => KeywordRule) blocking: KeywordRule;
}

/** How irritants are scored: the weights of the four axes and the rules of each. */
export class ScoringProfile {
  @IsString() @Length(1, 60) name: string;
  @ValidateNested() @Type(() => AxisWeights) weights: AxisWeights;
  @ValidateNested() @Type(() => ClientRules) client: ClientRules;
  @ValidateNested() @Type(() => BusinessRules) business: BusinessRules;
  @ValidateNested() @Type(() => LegalRules) legal: LegalRules;
  @ValidateNested() @Type(() => TechnicalRules) technical: TechnicalRules;
}

export class ScoringProfileError extends Error {}

/**
 * Checks a profile read from a file (at boot: a bad profile stops the process with the reason) and
 * compiles its patterns; throws ScoringProfileError naming every problem.
 */
export function parseScoringProfile(value: unknown): ScoringProfile {
  if (typeof value !== 'object' || value === null)
    throw new ScoringProfileError('a profile is a JSON object');
  const profile = plainToInstance(ScoringProfile, value);
  const problems = describeValidationErrors(validateSync(profile, { forbidUnknownValues: true }));
  const rules = [
    ...(profile.legal?.keywords ?? []),
    profile.business?.promiseBroken,
    profile.technical?.blocking,
  ].filter((rule): rule is KeywordRule => rule !== undefined && typeof rule.pattern === 'string');
  for (const rule of rules) {
    try {
      new RegExp(rule.pattern, 'u');
    } catch (error) {
      problems.push(`rule "${rule.name}": ${(error as Error).message}`);
    }
  }
  for (const [category, stage] of Object.entries(profile.business?.journeyStages ?? {})) {
    if (
      typeof stage?.stage !== 'string' ||
      (stage.stageFr !== undefined && typeof stage.stageFr !== 'string') ||
      typeof stage.points !== 'number' ||
      stage.points < 0 ||
      stage.points > 100
    )
      problems.push(
        `business.journeyStages.${category}: expected { stage: string, stageFr?: string, points: 0-100 }`,
      );
  }
  for (const [category, points] of Object.entries(profile.legal?.categories ?? {})) {
    if (typeof points !== 'number' || points < 0 || points > 100)
      problems.push(`legal.categories.${category}: expected points 0-100`);
  }
  const weights = profile.weights;
  if (weights && AXES.reduce((sum, axis) => sum + (weights[axis] ?? 0), 0) <= 0)
    problems.push('weights: at least one axis must weigh something');
  if (problems.length > 0) throw new ScoringProfileError(`invalid scoring profile: ${problems.join('; ')}`);
  return profile;
}

/**
 * The default profile, documented in docs/SCORING.md. Patterns run over folded text (lower case,
 * accents removed), so "réglementation" is written "reglementation".
 */
export const DEFAULT_PROFILE: ScoringProfile = parseScoringProfile({
  name: 'default',
  weights: { client: 0.35, business: 0.3, legal: 0.2, technical: 0.15 },
  client: {
    customersAtFull: 500,
    customersPoints: 50,
    growthAtFull: 1,
    growthPoints: 20,
    negativityPoints: 15,
    pointsPerDetractor: 2,
    detractorPoints: 10,
    channelsAtFull: 3,
    channelPoints: 5,
  },
  business: {
    journeyStages: {
      search_booking: { stage: 'search and booking', stageFr: 'la recherche et la réservation', points: 55 },
      payment: { stage: 'payment', stageFr: 'le paiement', points: 60 },
      eticket_delivery: { stage: 'ticket delivery', stageFr: 'la livraison des billets', points: 50 },
      refund_exchange: { stage: 'refund', stageFr: 'le remboursement', points: 40 },
      account_login: { stage: 'sign-in', stageFr: 'la connexion', points: 35 },
      mobile_app: { stage: 'the mobile app', stageFr: 'l’application mobile', points: 30 },
      site_performance: { stage: 'the whole site', stageFr: 'tout le site', points: 45 },
    },
    averageBasketEuros: 85,
    revenueAtFullEuros: 50_000,
    revenuePoints: 25,
    pointsPerFailingJourney: 20,
    promiseBroken: {
      name: 'a promise broken',
      nameFr: 'une promesse non tenue',
      pattern:
        "\\b(?:promis|on m'a dit|on m.avait dit|toujours pas (?:recu|rembourse)|jamais (?:recu|rembourse)|pas tenu|promised|was told|still (?:not|haven.t|no)|never (?:received|got|refunded))\\b",
      points: 15,
    },
  },
  legal: {
    categories: { legal_privacy: 50, accessibility: 40 },
    keywords: [
      {
        name: 'GDPR / RGPD',
        nameFr: 'le RGPD',
        pattern:
          '\\b(?:rgpd|gdpr|cnil|donnees personnelles|personal data|droit a l.oubli|right to be forgotten)\\b',
        points: 40,
      },
      {
        name: 'a lawyer or a court',
        nameFr: 'un avocat ou un tribunal',
        pattern:
          '\\b(?:avocat|tribunal|justice|plainte|proces|lawyer|attorney|court|sue|lawsuit|legal action)\\b',
        points: 50,
      },
      {
        name: 'consumer and refund rights',
        nameFr: 'les droits du consommateur et au remboursement',
        pattern:
          '\\b(?:dgccrf|ufc|que choisir|60 millions|mediateur|mediation|droit au remboursement|code de la consommation|consumer rights|refund rights|ombudsman|chargeback)\\b',
        points: 30,
      },
      {
        name: 'price display',
        nameFr: 'l’affichage des prix',
        pattern:
          '\\b(?:prix affiche|prix annonce|publicite mensongere|displayed price|advertised price|misleading price|hidden fees?|frais caches)\\b',
        points: 30,
      },
      {
        name: 'accessibility',
        nameFr: 'l’accessibilité',
        pattern:
          '\\b(?:handicap\\w*|pmr|fauteuil roulant|malvoyant|accessibilite|wheelchair|disabled|disability|blind|accessibility)\\b',
        points: 25,
      },
    ],
  },
  technical: {
    pointsPerFailingMonitor: 40,
    pointsPerSlowMonitor: 20,
    pointsPerKpiOffTarget: 20,
    pointsPerTerminal: 8,
    blockingShareAtFull: 0.5,
    blockingPoints: 35,
    blocking: {
      name: 'blocked',
      nameFr: 'bloqué',
      pattern:
        "\\b(?:impossible|bloque|plante|erreur|ne marche pas|ne fonctionne pas|n'arrive pas|can.?t|cannot|unable|stuck|crash\\w*|error|broken|doesn.t work|not working)\\b",
      points: 0,
    },
  },
});
