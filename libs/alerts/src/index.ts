export { AlertsModule } from './alerts.module';
export { AlertService } from './alert.service';
export type { AlertListener } from './alert.service';
export { jumpTest, poissonUpperTail } from './poisson';
export type { JumpTest } from './poisson';
