export { MonitoringModule } from './monitoring.module';
export { KpiService } from './kpi.service';
export type { KpiSummary, KpiWeek, SurveyAnswerInput } from './kpi.service';
export { netPromoterScore, customerSatisfaction } from './survey-stats';
export type { SurveyFigure } from './survey-stats';
