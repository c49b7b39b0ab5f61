export { BoardModule } from './board.module';
export { BoardService } from './board.service';
export type { BoardFilter, BoardWithItems } from './board.service';
export { SCORING_PROFILE } from './scoring-profile.provider';
export { DecisionService } from './decision.service';
export type { DecisionInput, TicketList, TimeToFixWeek } from './decision.service';
