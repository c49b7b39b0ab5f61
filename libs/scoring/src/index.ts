export { AXES, DEFAULT_PROFILE, ScoringProfile, ScoringProfileError, parseScoringProfile } from './profile';
export type { Axis, KeywordRule } from './profile';
export { scoreIrritant, totalOf, foldForRules, reachOf } from './score';
export type { AxisScore, IrritantScore, IrritantWeek } from './score';
export {
  ISO_WEEK_RULE,
  ISO_WEEK_YEARS,
  isIsoWeek,
  isoWeekOf,
  weekBounds,
  previousWeek,
  nextWeek,
  freezeTime,
} from './iso-week';
export type { IsoWeek } from './iso-week';
export { LANGUAGES, REASON_CODES, describeReason, languageOf, reason, reasonOf } from './reasons';
export type { Language, Reason, ReasonCode, ReasonParam } from './reasons';
