import escapeHtml from 'escape-html';
import { AXES, type Axis, describeReason } from '@app/scoring';
import type { DigestData, DigestItem, DigestLang } from './digest-data';
import { WORDS, decisionLine, when } from './words';

const e = (value: string | number): string => escapeHtml(String(value));

/** "costs 4.1 NPS points (±2.0) · costs 3.0 CSAT points": what the irritant costs the surveys. */
export function surveyCosts(item: DigestItem, lang: DigestLang): string | null {
  const w = WORDS[lang];
  const parts = [
    item.surveyImpact?.nps && item.surveyImpact.nps.points > 0
      ? w.costs(item.surveyImpact.nps.points, item.surveyImpact.nps.ci95, 'NPS')
      : null,
    item.surveyImpact?.csat && item.surveyImpact.csat.points > 0
      ? w.costs(item.surveyImpact.csat.points, item.surveyImpact.csat.ci95, 'CSAT')
      : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
const FONT = 'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;';
const RED = '#c92a2a';
const GREEN = '#2b8a3e';
const AXIS_COLOURS: Record<Axis, string> = {
  client: '#d9480f',
  business: '#1971c2',
  legal: '#7048e8',
  technical: '#2b8a3e',
};

/** A bar made of table cells: mail clients render tables, not CSS widths on divs or SVG. */
function bar(score: number, colour: string): string {
  const width = Math.max(1, Math.min(100, Math.round(score)));
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;"><tr><td width="${width}%" style="background:${colour};height:8px;font-size:0;line-height:0;">&nbsp;</td><td width="${100 - width}%" style="background:#e9ecef;height:8px;font-size:0;line-height:0;">&nbsp;</td></tr></table>`;
}

function itemHtml(item: DigestItem, lang: DigestLang): string {
  const w = WORDS[lang];
  const axes = AXES.map(
    (axis) =>
      `<tr><td style="${FONT}font-size:12px;color:#495057;width:80px;padding:1px 6px 1px 0;">${e(w.axes[axis])}</td><td style="padding:1px 0;">${bar(item.axes[axis], AXIS_COLOURS[axis])}</td><td style="${FONT}font-size:12px;color:#495057;width:28px;text-align:right;padding-left:6px;">${e(Math.round(item.axes[axis]))}</td></tr>`,
  ).join('');
  const line = item.decision ? decisionLine(item.decision, lang) : null;
  const decision = line
    ? `<span style="color:${line.late ? RED : '#212529'};">${e(line.text)}</span>`
    : `<span style="color:${RED};">${e(w.noDecision)}</span>`;
  const tracker = item.tracker
    ? ` · <a href="${e(item.tracker.url)}" style="color:#1971c2;">${e(item.tracker.key)}</a>`
    : '';
  const quote = item.quote
    ? `<tr><td colspan="3" style="${FONT}font-size:14px;font-style:italic;color:#343a40;border-left:3px solid #adb5bd;padding:6px 10px;">${e(w.quote(item.quote.text))} <span style="font-style:normal;color:#868e96;font-size:12px;">(${e(w.channel(item.quote.channel))}${item.quote.pinned ? ` · ${e(w.pinned)}` : ''})</span></td></tr>`
    : '';
  return `<tr><td style="padding:14px 0;border-top:1px solid #dee2e6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td style="${FONT}font-size:16px;font-weight:bold;color:#212529;">${e(item.rank)}. ${e(item.label)}</td><td style="${FONT}font-size:13px;color:#495057;text-align:right;white-space:nowrap;">${e(w.movement(item))} · ${e(w.total)} ${e(item.total.toFixed(0))}</td></tr>
<tr><td colspan="2" style="${FONT}font-size:13px;color:#495057;padding:2px 0 6px;">${e(w.customers(item.customers))} · ${e(w.verbatims(item.verbatims))} · ${e(w.category(item.category))}${surveyCosts(item, lang) ? ` · <strong style="color:${RED};">${e(surveyCosts(item, lang) as string)}</strong>` : ''}</td></tr>
<tr><td colspan="2"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${axes}</table></td></tr>
${item.reasons.length > 0 ? `<tr><td colspan="2" style="${FONT}font-size:13px;color:#495057;padding-top:6px;">${e(w.why)}${w.colon}${e(item.reasons.map((one) => describeReason(one, lang)).join(' · '))}</td></tr>` : ''}
${quote ? `<tr><td colspan="2" style="padding-top:8px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${quote}</table></td></tr>` : ''}
<tr><td colspan="2" style="${FONT}font-size:13px;color:#212529;padding-top:6px;">${e(w.decision)}${w.colon}${decision}${tracker}</td></tr>
</table></td></tr>`;
}

/** A number as the reader writes it (66,7 in French), one decimal at most. */
const number = (value: number, lang: DigestLang) =>
  (Math.round(value * 10) / 10).toLocaleString(WORDS[lang].locale, {
    maximumFractionDigits: 1,
    useGrouping: false,
  });

const figure = (value: number | null, unit: string, lang: DigestLang) =>
  value === null ? '—' : `${number(value, lang)}${unit === '%' ? ' %' : unit === 'points' ? '' : ` ${unit}`}`;

function change(value: number | null, previous: number | null, lang: DigestLang): string {
  if (value === null || previous === null) return '';
  const delta = Math.round((value - previous) * 10) / 10;
  return `${delta >= 0 ? '+' : ''}${number(delta, lang)}`;
}

const shownKpis = (data: DigestData) =>
  data.kpis.filter((kpi) => kpi.value !== null || kpi.previous !== null);

function kpisHtml(data: DigestData, lang: DigestLang): string {
  const w = WORDS[lang];
  const shown = shownKpis(data);
  if (shown.length === 0)
    return `<p style="${FONT}font-size:14px;color:#495057;margin:4px 0;">${e(w.noKpi)}</p>`;
  const rows = shown
    .map((kpi) => {
      const colour = kpi.onTarget === null ? '#495057' : kpi.onTarget ? GREEN : RED;
      const mark = kpi.onTarget === null ? '' : kpi.onTarget ? '●' : '▲';
      const interval = kpi.ci95 !== null ? ` ±${number(kpi.ci95, lang)}` : '';
      return `<tr><td style="${FONT}font-size:14px;color:#212529;padding:3px 8px 3px 0;">${e(w.kpiName(kpi.key, kpi.name))}</td><td style="${FONT}font-size:14px;font-weight:bold;color:${colour};padding:3px 8px;white-space:nowrap;">${e(mark)} ${e(figure(kpi.value, kpi.unit, lang))}${e(interval)}</td><td style="${FONT}font-size:12px;color:#495057;padding:3px 8px;white-space:nowrap;">${e(change(kpi.value, kpi.previous, lang))} ${kpi.previous !== null ? e(w.vs) : ''}</td><td style="${FONT}font-size:12px;color:#495057;padding:3px 0;white-space:nowrap;">${kpi.target !== null ? `${e(w.target)} ${e(figure(kpi.target, kpi.unit, lang))}` : ''}</td></tr>`;
    })
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows}</table>`;
}

/** A failed journey: still failing, or failed then recovered, with its window. */
function monitorLine(monitor: DigestData['monitors'][number], data: DigestData, lang: DigestLang): string {
  const w = WORDS[lang];
  const from = when(monitor.from, data.timeZone, lang);
  const steps = monitor.steps.join(', ');
  return monitor.state === 'failing'
    ? w.failing(from, steps)
    : w.recovered(from, monitor.to && when(monitor.to, data.timeZone, lang), steps);
}

function list(lines: string[], none: string): string {
  return lines.length === 0
    ? `<p style="${FONT}font-size:14px;color:#495057;margin:4px 0;">${e(none)}</p>`
    : `<ul style="${FONT}font-size:14px;color:#212529;margin:4px 0;padding-left:20px;">${lines.map((line) => `<li>${line}</li>`).join('')}</ul>`;
}

function section(title: string, body: string): string {
  return `<tr><td style="padding:18px 0 4px;"><h2 style="${FONT}font-size:16px;color:#212529;margin:0 0 4px;">${e(title)}</h2>${body}</td></tr>`;
}

const late = (text: string, overdue: boolean) =>
  overdue ? `<span style="color:${RED};font-weight:bold;">${e(text)}</span>` : e(text);

/** The digest as e-mail HTML: tables and inline styles only, no script, every customer word escaped. */
export function renderHtml(data: DigestData, lang: DigestLang): { subject: string; html: string } {
  const w = WORDS[lang];
  const subject = w.subject(data.isoWeek);
  const decided = (d: DigestData['decisions'][number]) => {
    const line = decisionLine(d, lang);
    return `${e(d.label)}${w.colon}${late(line.text, line.late)}`;
  };
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f3f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f3f5;"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:6px;"><tr><td style="padding:20px 22px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td><h1 style="${FONT}font-size:20px;color:#212529;margin:0 0 6px;">LoveBoard · ${e(data.isoWeek)}</h1><p style="${FONT}font-size:14px;color:#495057;margin:0 0 8px;">${e(w.intro(data.isoWeek, data.frozen))}</p></td></tr>
${section(w.kpis, kpisHtml(data, lang))}
${section(w.top, '')}
${data.items.map((item) => itemHtml(item, lang)).join('\n')}
${
  data.monitors.length === 0
    ? ''
    : section(
        w.monitors,
        list(
          data.monitors.map(
            (m) =>
              `${e(m.name)}${w.colon}<span style="color:${m.state === 'failing' ? RED : '#e67700'};">${e(monitorLine(m, data, lang))}</span> · ${e(w.failedRuns(m.failed, m.runs))}`,
          ),
          w.none,
        ),
      )
}
${section(
  w.awaiting,
  list(
    data.awaiting.map((item) => `${e(item.rank)}. ${e(item.label)}`),
    w.none,
  ),
)}
${section(w.decisions, list(data.decisions.map(decided), w.none))}
${data.ongoing.length === 0 ? '' : section(w.ongoing, list(data.ongoing.map(decided), w.none))}
${
  data.overdue.length === 0
    ? ''
    : section(
        w.overdue,
        list(
          data.overdue.map(
            (t) =>
              `${e(t.label)} · ${e(w.statuses[t.status] ?? t.status)}${t.team ? ` (${e(t.team)})` : ''} · ${late(w.overdueLine(t.ageDays, t.targetDays), true)}`,
          ),
          w.none,
        ),
      )
}
${section(
  w.unanswered,
  list(
    data.unanswered.map(
      (u) => `${e(u.label)} → ${e(w.department(u.department))}, ${late(w.days(u.days), u.overdue)}`,
    ),
    w.none,
  ),
)}
${section(w.timeToFix, `<p style="${FONT}font-size:14px;color:${data.timeToFix.medianDays !== null && data.timeToFix.medianDays > data.timeToFix.targetDays ? RED : GREEN};margin:4px 0;">${e(w.median(data.timeToFix.medianDays, data.timeToFix.targetDays, data.timeToFix.deployed))}</p>`)}
<tr><td style="padding:22px 0 4px;" align="center"><a href="${e(data.boardUrl)}" style="${FONT}font-size:15px;background:#1971c2;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:4px;display:inline-block;">${e(w.open)}</a></td></tr>
</table></td></tr></table></td></tr></table></body></html>`;
  return { subject, html };
}

/** The same digest as plain text, for clients that show no HTML. */
export function renderText(data: DigestData, lang: DigestLang): string {
  const w = WORDS[lang];
  const lines = [`LoveBoard · ${data.isoWeek}`, w.intro(data.isoWeek, data.frozen), '', w.kpis.toUpperCase()];
  const shown = shownKpis(data);
  if (shown.length === 0) lines.push(w.noKpi);
  for (const kpi of shown) {
    const status = kpi.onTarget === null ? '' : kpi.onTarget ? ' (OK)' : ' (!)';
    lines.push(
      `- ${w.kpiName(kpi.key, kpi.name)}: ${figure(kpi.value, kpi.unit, lang)}${kpi.ci95 !== null ? ` ±${number(kpi.ci95, lang)}` : ''}${status} ${change(kpi.value, kpi.previous, lang)}${kpi.target !== null ? `, ${w.target} ${figure(kpi.target, kpi.unit, lang)}` : ''}`,
    );
  }
  lines.push('', w.top.toUpperCase());
  for (const item of data.items) {
    lines.push(
      '',
      `${item.rank}. ${item.label} (${w.movement(item)}, ${w.total} ${item.total.toFixed(0)})`,
      `   ${w.customers(item.customers)} · ${w.verbatims(item.verbatims)} · ${w.category(item.category)}${surveyCosts(item, lang) ? ` · ${surveyCosts(item, lang)}` : ''}`,
      `   ${AXES.map((axis) => `${w.axes[axis]} ${Math.round(item.axes[axis])}`).join(' · ')}`,
    );
    if (item.reasons.length > 0)
      lines.push(`   ${w.why}: ${item.reasons.map((one) => describeReason(one, lang)).join(' · ')}`);
    if (item.quote) lines.push(`   ${w.quote(item.quote.text)} (${w.channel(item.quote.channel)})`);
    lines.push(
      `   ${w.decision}: ${item.decision ? decisionLine(item.decision, lang).text : w.noDecision}${item.tracker ? ` · ${item.tracker.key} ${item.tracker.url}` : ''}`,
    );
  }
  const block = (title: string, entries: string[], always = true) =>
    !always && entries.length === 0
      ? []
      : ['', title.toUpperCase(), ...(entries.length ? entries.map((x) => `- ${x}`) : [w.none])];
  const decided = (d: DigestData['decisions'][number]) => `${d.label}: ${decisionLine(d, lang).text}`;
  lines.push(
    ...block(
      w.monitors,
      data.monitors.map(
        (m) => `${m.name}: ${monitorLine(m, data, lang)} · ${w.failedRuns(m.failed, m.runs)}`,
      ),
      false,
    ),
    ...block(
      w.awaiting,
      data.awaiting.map((item) => `${item.rank}. ${item.label}`),
    ),
    ...block(w.decisions, data.decisions.map(decided)),
    ...block(w.ongoing, data.ongoing.map(decided), false),
    ...block(
      w.overdue,
      data.overdue.map(
        (t) =>
          `${t.label} · ${w.statuses[t.status] ?? t.status}${t.team ? ` (${t.team})` : ''} · ${w.overdueLine(t.ageDays, t.targetDays)} · ${w.late.toUpperCase()}`,
      ),
      false,
    ),
    ...block(
      w.unanswered,
      data.unanswered.map(
        (u) =>
          `${u.label} → ${w.department(u.department)}, ${w.days(u.days)}${u.overdue ? ` · ${w.late.toUpperCase()}` : ''}`,
      ),
    ),
    '',
    w.timeToFix.toUpperCase(),
    w.median(data.timeToFix.medianDays, data.timeToFix.targetDays, data.timeToFix.deployed),
    '',
    `${w.open}: ${data.boardUrl}`,
  );
  return lines.join('\n');
}
