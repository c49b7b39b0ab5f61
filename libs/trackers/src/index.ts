export { TrackersModule } from './trackers.module';
export { TrackerService, TRACKER_KINDS, stepsTo } from './tracker.service';
export type { TrackerInput } from './tracker.service';
export { issueDraft } from './issue-text';
export { LABEL, issueUuid, marker, ticketLabel } from './clients';
export type { ExternalIssue, IssueDraft, TrackerClient } from './clients';
