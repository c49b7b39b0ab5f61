import type { EmailReading } from './email-reading';
import { emailVerbatim } from './email-verbatim';

const reading = (date: Date | null): EmailReading => ({
  kind: 'verbatim',
  messageId: 'm-1@example.org',
  from: 'jeanne@example.org',
  fromName: 'Jeanne',
  subject: 'Billet',
  date,
  text: 'Mon billet n’est pas arrivé.',
  attachments: 0,
  inReplyTo: null,
  references: [],
});

describe('emailVerbatim dates', () => {
  const now = new Date('2026-11-23T09:00:00Z');
  const arrived = new Date('2026-11-23T08:59:30Z');

  it('keeps the Date header when it is a date the ingest takes', () => {
    const outcome = emailVerbatim('mail', reading(new Date('2026-11-22T18:00:00Z')), arrived, now);
    expect(outcome).toMatchObject({ verbatim: { receivedAt: '2026-11-22T18:00:00.000Z' } });
    expect((outcome as { verbatim: { metadata: object } }).verbatim.metadata).not.toHaveProperty('dated');
  });

  it.each([
    ['missing', null],
    ['in 1970 (a sender clock at zero)', new Date('1970-01-01T00:00:00Z')],
    ['before 2000', new Date('1999-12-31T23:00:00Z')],
    ['next year', new Date('2027-11-23T09:00:00Z')],
  ])('falls back to the time it arrived when the Date header is %s', (_why, date) => {
    expect(emailVerbatim('mail', reading(date), arrived, now)).toMatchObject({
      verbatim: { receivedAt: arrived.toISOString(), metadata: { dated: 'on arrival' } },
    });
  });

  it('falls back to now when the arrival is unusable too', () => {
    expect(emailVerbatim('mail', reading(null), new Date('1980-01-01T00:00:00Z'), now)).toMatchObject({
      verbatim: { receivedAt: now.toISOString() },
    });
  });
});
