/**
 * Chat messages as a language-neutral model (title, sections of lines, a link), written in the
 * channel's language, then as Slack Block Kit or a Teams Adaptive Card. Customer words (irritant
 * labels, quotes) only ever go where the chat shows text as text: Slack `plain_text` or escaped
 * mrkdwn, Teams `TextRun` (which reads no markdown).
 */
export type ChatLang = 'fr' | 'en';

export interface ChatLine {
  /** Our words. */
  text?: string;
  /** Customer words (a label): shown as text, linked to `url` when given. */
  label?: string;
  url?: string;
  /** A customer's quote (redacted). */
  quote?: string;
}

export interface ChatText {
  title: string;
  intro?: string;
  sections: { heading: string; lines: ChatLine[] }[];
  link: { label: string; url: string };
}

export interface DigestPayload {
  week: string;
  frozen: boolean;
  boardUrl: string;
  items: {
    rank: number;
    label: string;
    irritantUrl: string;
    customers: number;
    total: number;
    npsCost: number | null;
    decision: string | null;
    tracker: string | null;
  }[];
  awaiting: { rank: number; label: string; irritantUrl: string }[];
  kpisOffTarget: { name: string; value: number | null; target: number | null; unit: string }[];
}

export interface AlertPayload {
  alertId: string;
  label: string;
  irritantUrl: string;
  window: 'hour' | 'day';
  observed: number;
  expected: number;
  ratio: number;
  pValue: number;
  quotes: string[];
}

export interface OverduePayload {
  targetDays: number;
  boardUrl: string;
  tickets: {
    label: string;
    irritantUrl: string;
    days: number;
    status: string;
    team: string | null;
    tracker: string | null;
  }[];
}

export interface UnansweredPayload {
  boardUrl: string;
  decisions: { label: string; irritantUrl: string; department: string; days: number }[];
}

export interface TestPayload {
  channel: string;
  publicUrl: string;
}

const number = (value: number, lang: ChatLang, digits = 0) =>
  value.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
const plural = (n: number, lang: ChatLang, one: string, many = `${one}s`) =>
  `${number(n, lang)} ${n === 1 || (lang === 'fr' && n === 0) ? one : many}`;
const STATUS: Record<string, { fr: string; en: string }> = {
  todo: { fr: 'à faire', en: 'to do' },
  in_progress: { fr: 'en cours', en: 'in progress' },
  fixed: { fr: 'corrigé, pas encore déployé', en: 'fixed, not deployed yet' },
};
const pValue = (p: number) => (p < 1e-10 ? '< 1e-10' : p.toExponential(1));

export function renderDigest(data: DigestPayload, lang: ChatLang): ChatText {
  const fr = lang === 'fr';
  return {
    title: fr ? `LoveBoard · semaine ${data.week}` : `LoveBoard · week ${data.week}`,
    intro: fr
      ? `Ce que les clients ont vécu en ${data.week}${data.frozen ? '' : ' (tableau encore ouvert)'}, et ce qui attend votre arbitrage.`
      : `What customers went through in ${data.week}${data.frozen ? '' : ' (board still open)'}, and what awaits your call.`,
    sections: [
      {
        heading: fr ? 'Les irritants de la semaine' : 'Top irritants',
        lines: data.items.map((item) => ({
          label: item.label,
          url: item.irritantUrl,
          text: [
            `#${item.rank}`,
            plural(item.customers, lang, fr ? 'client' : 'customer'),
            `score ${number(item.total, lang)}`,
            item.npsCost !== null && item.npsCost > 0
              ? fr
                ? `coûte ${number(item.npsCost, lang, 1)} points de NPS`
                : `costs ${number(item.npsCost, lang, 1)} NPS points`
              : null,
            item.decision,
            item.tracker,
          ]
            .filter(Boolean)
            .join(' · '),
        })),
      },
      {
        heading: fr ? 'En attente de votre arbitrage' : 'Decisions awaited',
        lines:
          data.awaiting.length > 0
            ? data.awaiting.map((item) => ({
                text: `#${item.rank}`,
                label: item.label,
                url: item.irritantUrl,
              }))
            : [{ text: fr ? 'Aucune.' : 'None.' }],
      },
      {
        heading: fr ? 'Indicateurs hors objectif' : 'KPIs off target',
        lines:
          data.kpisOffTarget.length > 0
            ? data.kpisOffTarget.map((kpi) => {
                const unit = kpi.unit === '%' ? ' %' : kpi.unit === 'points' ? '' : ` ${kpi.unit}`;
                const value = kpi.value === null ? '—' : `${number(kpi.value, lang, 1)}${unit}`;
                const target = kpi.target === null ? '—' : `${number(kpi.target, lang, 1)}${unit}`;
                return {
                  text: `${kpi.name}${fr ? ' : ' : ': '}${value} (${fr ? 'objectif' : 'target'} ${target})`,
                };
              })
            : [{ text: fr ? 'Tous dans l’objectif.' : 'All on target.' }],
      },
    ],
    link: {
      label: fr ? 'Ouvrir le tableau de la semaine' : 'Open the board of the week',
      url: data.boardUrl,
    },
  };
}

export function renderAlert(data: AlertPayload, lang: ChatLang): ChatText {
  const fr = lang === 'fr';
  const window =
    data.window === 'hour'
      ? fr
        ? 'la dernière heure'
        : 'the last hour'
      : fr
        ? 'les dernières 24 h'
        : 'the last 24 hours';
  return {
    title: fr ? 'LoveBoard · un irritant décolle' : 'LoveBoard · an irritant is taking off',
    sections: [
      {
        heading: fr ? 'Irritant' : 'Irritant',
        lines: [
          { label: data.label, url: data.irritantUrl },
          {
            text: fr
              ? `${plural(data.observed, lang, 'client')} sur ${window}, ${number(data.ratio, lang, 1)} fois l’habituel (attendu ${number(data.expected, lang, 1)} ; p ${pValue(data.pValue)}).`
              : `${plural(data.observed, lang, 'customer')} in ${window}, ${number(data.ratio, lang, 1)} times the usual (expected ${number(data.expected, lang, 1)}; p ${pValue(data.pValue)}).`,
          },
        ],
      },
      {
        heading: fr ? 'Avec leurs mots' : 'In their words',
        lines: data.quotes.map((quote) => ({ quote })),
      },
    ],
    link: { label: fr ? 'Ouvrir l’irritant' : 'Open the irritant', url: data.irritantUrl },
  };
}

export function renderOverdue(data: OverduePayload, lang: ChatLang): ChatText {
  const fr = lang === 'fr';
  return {
    title: fr
      ? `LoveBoard · tickets au-delà des ${data.targetDays} jours`
      : `LoveBoard · tickets past the ${data.targetDays}-day target`,
    sections: [
      {
        heading: fr ? 'Depuis le premier verbatim' : 'Since the first verbatim',
        lines: data.tickets.map((ticket) => ({
          label: ticket.label,
          url: ticket.irritantUrl,
          text: [
            fr ? `${number(ticket.days, lang)} j` : `${number(ticket.days, lang)} days`,
            STATUS[ticket.status]?.[lang] ?? ticket.status,
            ticket.team,
            ticket.tracker,
          ]
            .filter(Boolean)
            .join(' · '),
        })),
      },
    ],
    link: { label: fr ? 'Ouvrir le tableau' : 'Open the board', url: data.boardUrl },
  };
}

export function renderUnanswered(data: UnansweredPayload, lang: ChatLang): ChatText {
  const fr = lang === 'fr';
  return {
    title: fr
      ? 'LoveBoard · orientés, sans réponse du service'
      : 'LoveBoard · routed, no answer from the department',
    sections: [
      {
        heading: fr ? 'Décisions orientées' : 'Routed decisions',
        lines: data.decisions.map((decision) => ({
          label: decision.label,
          url: decision.irritantUrl,
          text: fr
            ? `→ ${decision.department}, depuis ${number(decision.days, lang)} j`
            : `→ ${decision.department}, for ${number(decision.days, lang)} days`,
        })),
      },
    ],
    link: { label: fr ? 'Ouvrir le tableau' : 'Open the board', url: data.boardUrl },
  };
}

export function renderTest(data: TestPayload, lang: ChatLang): ChatText {
  const fr = lang === 'fr';
  return {
    title: fr ? 'LoveBoard est connecté' : 'LoveBoard is connected',
    intro: fr
      ? `Ce canal (« ${data.channel} ») recevra ses messages en français.`
      : `This channel ("${data.channel}") will get its messages in English.`,
    sections: [],
    link: { label: fr ? 'Ouvrir LoveBoard' : 'Open LoveBoard', url: data.publicUrl },
  };
}

export function renderMessage(topic: string, payload: Record<string, unknown>, lang: ChatLang): ChatText {
  switch (topic) {
    case 'digest':
      return renderDigest(payload as unknown as DigestPayload, lang);
    case 'alert':
      return renderAlert(payload as unknown as AlertPayload, lang);
    case 'overdue':
      return renderOverdue(payload as unknown as OverduePayload, lang);
    case 'unanswered':
      return renderUnanswered(payload as unknown as UnansweredPayload, lang);
    default:
      return renderTest(payload as unknown as TestPayload, lang);
  }
}

/** Slack mrkdwn: &, < and > escaped (Slack's rule), and the formatting marks made inert. */
export function slackEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_~`])/g, '\u200b$1\u200b');
}

/** The same message as plain text (Slack's notification fallback, logs of tests). */
export function plainText(message: ChatText): string {
  const lines = [message.title];
  if (message.intro) lines.push(message.intro);
  for (const section of message.sections) {
    lines.push('', section.heading);
    for (const line of section.lines)
      lines.push(
        `- ${[line.label, line.text, line.quote ? `“${line.quote}”` : undefined].filter(Boolean).join(' — ')}`,
      );
  }
  lines.push('', `${message.link.label}: ${message.link.url}`);
  return lines.join('\n');
}

const SLACK_TEXT_MAX = 2_900;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Block Kit: a header, a section per part, quotes as plain text, a button to LoveBoard. */
export function slackMessage(message: ChatText): { text: string; blocks: Record<string, unknown>[] } {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(message.title, 150), emoji: false } },
  ];
  if (message.intro)
    blocks.push({
      type: 'section',
      text: { type: 'plain_text', text: clip(message.intro, SLACK_TEXT_MAX), emoji: false },
    });
  for (const section of message.sections) {
    const lines = section.lines.filter((line) => !line.quote);
    const quotes = section.lines.filter((line) => line.quote);
    const body = lines
      .map((line) => {
        const label = line.label
          ? line.url
            ? `<${line.url}|${slackEscape(line.label)}>`
            : slackEscape(line.label)
          : '';
        return `• ${[label, line.text ? slackEscape(line.text) : ''].filter(Boolean).join(' — ')}`;
      })
      .join('\n');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*${slackEscape(section.heading)}*${body ? `\n${body}` : ''}`, SLACK_TEXT_MAX),
      },
    });
    for (const quote of quotes.slice(0, 5))
      blocks.push({
        type: 'context',
        elements: [{ type: 'plain_text', text: clip(`“${quote.quote}”`, SLACK_TEXT_MAX), emoji: false }],
      });
  }
  blocks.push({
    type: 'actions',
    elements: [
      {
        type: 'button',
        text: { type: 'plain_text', text: clip(message.link.label, 75) },
        url: message.link.url,
      },
    ],
  });
  return { text: clip(plainText(message), 3_000), blocks: blocks.slice(0, 50) };
}

/** An Adaptive Card 1.4: our words in TextBlocks, customer words in TextRuns (no markdown there). */
export function teamsMessage(message: ChatText): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  if (message.intro)
    body.push({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: message.intro }] });
  for (const section of message.sections) {
    body.push({ type: 'TextBlock', text: section.heading, weight: 'Bolder', wrap: true, spacing: 'Medium' });
    for (const line of section.lines) {
      const inlines: Record<string, unknown>[] = [];
      if (line.label)
        inlines.push({
          type: 'TextRun',
          text: line.label,
          weight: 'Bolder',
          ...(line.url ? { selectAction: { type: 'Action.OpenUrl', url: line.url } } : {}),
        });
      if (line.text) inlines.push({ type: 'TextRun', text: `${line.label ? ' — ' : ''}${line.text}` });
      if (line.quote) inlines.push({ type: 'TextRun', text: `“${line.quote}”`, italic: true });
      body.push({ type: 'RichTextBlock', inlines });
    }
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: message.link.label, url: message.link.url }],
        },
      },
    ],
  };
}
