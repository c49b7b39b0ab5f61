import { DecisionKind, type IssueSource } from '@app/database';
import type { IssueDraft } from './clients';

const AXES = ['client', 'business', 'legal', 'technical'] as const;

/** Customer words in a fenced block: no markdown, no @mention, no link runs in GitHub or Linear. */
function fenced(text: string): string {
  return `\`\`\`\`text\n${text.replace(/`{4,}/g, '```')}\n\`\`\`\``;
}

/** Customer words in Jira wiki markup: a {noformat} block reads nothing inside it. */
function noformat(text: string): string {
  return `{noformat}${text.replace(/\{noformat\}/gi, '{ noformat }')}{noformat}`;
}

/** Our own words in markdown, its marks escaped (reason texts may name rules or monitors). */
const md = (text: string) => text.replace(/([\\`*_[\]<>#@!|~])/g, '\\$1');
const wiki = (text: string) => text.replace(/([{}[\]*_+^~|!#-])/g, '\\$1');

/**
 * The issue a ticket becomes: the irritant's title, why it ranks (the axes' reasons), how many
 * customers, 3 to 5 of their most recent words (redacted), and a link back to LoveBoard.
 */
export function issueDraft(source: IssueSource, link: string): IssueDraft {
  const title = (source.label ?? `LoveBoard ticket ${source.ticketId.slice(0, 8)}`).slice(0, 240);
  const kind = source.kind === DecisionKind.SmallEvolution ? 'small evolution' : 'fix';
  const reasons = AXES.flatMap((axis) => {
    const view = source.axes?.[axis];
    return view ? [{ axis, score: Math.round(view.score), reasons: view.reasons }] : [];
  });
  const quotes = source.quotes.slice(0, 5);
  const markdown = [
    `**${source.customers} customer${source.customers === 1 ? '' : 's'}** ${source.customers === 1 ? 'has' : 'have'} this problem. Decided as a ${kind} at the LoveBoard meeting of ${source.isoWeek}${source.team ? ` for ${md(source.team)}` : ''}.`,
    '',
    '### Why it ranks',
    ...reasons.map((one) => `- **${one.axis} ${one.score}**: ${one.reasons.map(md).join('; ') || '—'}`),
    '',
    `### In the customers' words (redacted)`,
    ...quotes.flatMap((quote) => [fenced(quote.text), '']),
    `[Open it in LoveBoard](${link})`,
  ].join('\n');
  const wikiText = [
    `*${source.customers} customer${source.customers === 1 ? '' : 's'}* ${source.customers === 1 ? 'has' : 'have'} this problem. Decided as a ${kind} at the LoveBoard meeting of ${source.isoWeek}${source.team ? ` for ${wiki(source.team)}` : ''}.`,
    '',
    'h3. Why it ranks',
    ...reasons.map((one) => `* *${one.axis} ${one.score}*: ${one.reasons.map(wiki).join('; ') || '—'}`),
    '',
    `h3. In the customers' words (redacted)`,
    ...quotes.map((quote) => noformat(quote.text)),
    '',
    `[Open it in LoveBoard|${link}]`,
  ].join('\n');
  return { ticketId: source.ticketId, title, markdown, wiki: wikiText };
}
