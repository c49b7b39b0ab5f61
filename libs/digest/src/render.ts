import escapeHtml from 'escape-html';
import { AXES, type Axis } from '@app/scoring';
import type { DigestData, DigestItem, DigestLang } from './digest-data';

const WORDS = {
  fr: {
    subject: (week: string) => `LoveBoard · ce que les clients ont vécu en ${week}`,
    intro: (week: string, frozen: boolean) =>
      `Semaine ${week}${frozen ? '' : ' (tableau encore ouvert)'} : les irritants qui ont le plus touché les clients, et ce que l’équipe propose.`,
    top: 'Les irritants de la semaine',
    customers: (n: number) => `${n.toLocaleString('fr-FR')} client${n > 1 ? 's' : ''}`,
    verbatims: (n: number) => `${n.toLocaleString('fr-FR')} verbatim${n > 1 ? 's' : ''}`,
    total: 'score',
    axes: { client: 'client', business: 'business', legal: 'juridique', technical: 'technique' } as Record<
      Axis,
      string
    >,
    movement: (item: DigestItem) =>
      item.movement === 'new'
        ? 'nouveau'
        : item.movement === 'up'
          ? `▲ ${item.rankChange}`
          : item.movement === 'down'
            ? `▼ ${Math.abs(item.rankChange ?? 0)}`
            : '=',
    decision: 'Décision',
    noDecision: 'à décider',
    kinds: {
      fix: 'corriger',
      small_evolution: 'petite évolution',
      route: 'orienter',
      watch: 'surveiller',
      reject: 'rejeter',
    } as Record<string, string>,
    decisions: 'Décisions prises',
    none: 'Aucune.',
    awaiting: 'En attente de votre arbitrage',
    unanswered: 'Orientés, sans réponse du service',
    days: (n: number) => `depuis ${n} j`,
    timeToFix: 'Délai de correction (premier verbatim → mise en production)',
    median: (days: number | null, target: number, deployed: number) =>
      days === null
        ? `aucune correction déployée cette semaine (objectif ${target} j)`
        : `médiane ${days.toLocaleString('fr-FR')} j pour ${deployed} correction${deployed > 1 ? 's' : ''}, objectif ${target} j`,
    open: 'Ouvrir le tableau de la semaine',
    kpis: 'Indicateurs',
    monitors: 'Parcours clients en échec',
    failedRuns: (failed: number, runs: number) =>
      `${failed} échec${failed > 1 ? 's' : ''} sur ${runs} passage${runs > 1 ? 's' : ''}`,
    pinned: 'choisi par l’équipe',
    noKpi: 'Aucune mesure cette semaine.',
    vs: 'vs sem. préc.',
    target: 'objectif',
    answers: (n: number) => `${n} réponse${n > 1 ? 's' : ''}`,
    costs: (points: number, ci95: number | null, survey: string) =>
      `coûte ${points.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} point${Math.abs(points) >= 2 ? 's' : ''} de ${survey}${ci95 !== null ? ` (±${ci95.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })})` : ''}`,
  },
  en: {
    subject: (week: string) => `LoveBoard · what customers went through in ${week}`,
    intro: (week: string, frozen: boolean) =>
      `Week ${week}${frozen ? '' : ' (board still open)'}: the irritants that hurt customers most, and what the team proposes.`,
    top: 'Irritants of the week',
    customers: (n: number) => `${n.toLocaleString('en-US')} customer${n > 1 ? 's' : ''}`,
    verbatims: (n: number) => `${n.toLocaleString('en-US')} verbatim${n > 1 ? 's' : ''}`,
    total: 'score',
    axes: { client: 'client', business: 'business', legal: 'legal', technical: 'technical' } as Record<
      Axis,
      string
    >,
    movement: (item: DigestItem) =>
      item.movement === 'new'
        ? 'new'
        : item.movement === 'up'
          ? `▲ ${item.rankChange}`
          : item.movement === 'down'
            ? `▼ ${Math.abs(item.rankChange ?? 0)}`
            : '=',
    decision: 'Decision',
    noDecision: 'to decide',
    kinds: {
      fix: 'fix',
      small_evolution: 'small evolution',
      route: 'route',
      watch: 'watch',
      reject: 'reject',
    } as Record<string, string>,
    decisions: 'Decisions taken',
    none: 'None.',
    awaiting: 'Awaiting your call',
    unanswered: 'Routed, no answer from the department yet',
    days: (n: number) => `for ${n} d`,
    timeToFix: 'Time to fix (first verbatim → deployed)',
    median: (days: number | null, target: number, deployed: number) =>
      days === null
        ? `no fix deployed this week (target ${target} d)`
        : `median ${days} d over ${deployed} fix${deployed > 1 ? 'es' : ''}, target ${target} d`,
    open: 'Open the board of the week',
    kpis: 'Headline KPIs',
    monitors: 'Customer journeys that failed',
    failedRuns: (failed: number, runs: number) => `${failed} failed of ${runs} run${runs > 1 ? 's' : ''}`,
    pinned: 'picked by the team',
    noKpi: 'No measure this week.',
    vs: 'vs last week',
    target: 'target',
    answers: (n: number) => `${n} answer${n > 1 ? 's' : ''}`,
    costs: (points: number, ci95: number | null, survey: string) =>
      `costs ${points.toFixed(1)} ${survey} point${points === 1 ? '' : 's'}${ci95 !== null ? ` (±${ci95.toFixed(1)})` : ''}`,
  },
};

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
  const decision = item.decision
    ? `${e(w.kinds[item.decision.kind] ?? item.decision.kind)}${item.decision.department ? ` → ${e(item.decision.department)}` : ''}${item.decision.owner ? ` (${e(item.decision.owner)})` : ''}`
    : `<span style="color:#c92a2a;">${e(w.noDecision)}</span>`;
  const tracker = item.tracker
    ? ` · <a href="${e(item.tracker.url)}" style="color:#1971c2;">${e(item.tracker.key)}</a>`
    : '';
  const quote = item.quote
    ? `<tr><td colspan="3" style="${FONT}font-size:14px;font-style:italic;color:#343a40;border-left:3px solid #adb5bd;padding:6px 10px;">« ${e(item.quote.text)} » <span style="font-style:normal;color:#868e96;font-size:12px;">(${e(item.quote.channel)}${item.quote.pinned ? ` · ${e(w.pinned)}` : ''})</span></td></tr>`
    : '';
  return `<tr><td style="padding:14px 0;border-top:1px solid #dee2e6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td style="${FONT}font-size:16px;font-weight:bold;color:#212529;">${e(item.rank)}. ${e(item.label)}</td><td style="${FONT}font-size:13px;color:#495057;text-align:right;white-space:nowrap;">${e(w.movement(item))} · ${e(w.total)} ${e(item.total.toFixed(0))}</td></tr>
<tr><td colspan="2" style="${FONT}font-size:13px;color:#495057;padding:2px 0 6px;">${e(w.customers(item.customers))} · ${e(w.verbatims(item.verbatims))} · ${e(item.category.replace(/_/g, ' '))}${surveyCosts(item, lang) ? ` · <strong style="color:#c92a2a;">${e(surveyCosts(item, lang) as string)}</strong>` : ''}</td></tr>
<tr><td colspan="2"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${axes}</table></td></tr>
${quote ? `<tr><td colspan="2" style="padding-top:8px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0">${quote}</table></td></tr>` : ''}
<tr><td colspan="2" style="${FONT}font-size:13px;color:#212529;padding-top:6px;">${e(w.decision)} : ${decision}${tracker}</td></tr>
</table></td></tr>`;
}

const figure = (value: number | null, unit: string) =>
  value === null
    ? '—'
    : `${Number.isInteger(value) ? value : value.toFixed(1)}${unit === '%' ? ' %' : unit === 'points' ? '' : ` ${unit}`}`;

function change(value: number | null, previous: number | null): string {
  if (value === null || previous === null) return '';
  const delta = Math.round((value - previous) * 10) / 10;
  return `${delta >= 0 ? '+' : ''}${delta}`;
}

function kpisHtml(data: DigestData, lang: DigestLang): string {
  const w = WORDS[lang];
  const shown = data.kpis.filter((kpi) => kpi.value !== null || kpi.previous !== null);
  if (shown.length === 0)
    return `<p style="${FONT}font-size:14px;color:#495057;margin:4px 0;">${e(w.noKpi)}</p>`;
  const rows = shown
    .map((kpi) => {
      const colour = kpi.onTarget === null ? '#495057' : kpi.onTarget ? '#2b8a3e' : '#c92a2a';
      const mark = kpi.onTarget === null ? '' : kpi.onTarget ? '●' : '▲';
      const interval = kpi.ci95 !== null ? ` ±${kpi.ci95}` : '';
      return `<tr><td style="${FONT}font-size:14px;color:#212529;padding:3px 8px 3px 0;">${e(kpi.name)}</td><td style="${FONT}font-size:14px;font-weight:bold;color:${colour};padding:3px 8px;white-space:nowrap;">${e(mark)} ${e(figure(kpi.value, kpi.unit))}${e(interval)}</td><td style="${FONT}font-size:12px;color:#495057;padding:3px 8px;white-space:nowrap;">${e(change(kpi.value, kpi.previous))} ${kpi.previous !== null ? e(w.vs) : ''}</td><td style="${FONT}font-size:12px;color:#495057;padding:3px 0;white-space:nowrap;">${kpi.target !== null ? `${e(w.target)} ${e(figure(kpi.target, kpi.unit))}` : ''}</td></tr>`;
    })
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows}</table>`;
}

function failedMonitorsHtml(data: DigestData, lang: DigestLang): string {
  const w = WORDS[lang];
  if (data.monitorsFailed.length === 0) return '';
  return section(
    w.monitors,
    list(
      data.monitorsFailed.map(
        (m) => `${e(m.name)} : <span style="color:#c92a2a;">${e(w.failedRuns(m.failed, m.runs))}</span>`,
      ),
      w.none,
    ),
  );
}

function list(lines: string[], none: string): string {
  return lines.length === 0
    ? `<p style="${FONT}font-size:14px;color:#495057;margin:4px 0;">${e(none)}</p>`
    : `<ul style="${FONT}font-size:14px;color:#212529;margin:4px 0;padding-left:20px;">${lines.map((line) => `<li>${line}</li>`).join('')}</ul>`;
}

function section(title: string, body: string): string {
  return `<tr><td style="padding:18px 0 4px;"><h2 style="${FONT}font-size:16px;color:#212529;margin:0 0 4px;">${e(title)}</h2>${body}</td></tr>`;
}

/** The digest as e-mail HTML: tables and inline styles only, no script, every customer word escaped. */
export function renderHtml(data: DigestData, lang: DigestLang): { subject: string; html: string } {
  const w = WORDS[lang];
  const subject = w.subject(data.isoWeek);
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
${failedMonitorsHtml(data, lang)}
${section(
  w.awaiting,
  list(
    data.awaiting.map((item) => `${e(item.rank)}. ${e(item.label)}`),
    w.none,
  ),
)}
${section(
  w.decisions,
  list(
    data.decisions.map(
      (d) =>
        `${e(d.label)} : <strong>${e(w.kinds[d.kind] ?? d.kind)}</strong>${d.department ? ` → ${e(d.department)}` : ''}${d.owner ? ` (${e(d.owner)})` : ''}`,
    ),
    w.none,
  ),
)}
${section(
  w.unanswered,
  list(
    data.unanswered.map((u) => `${e(u.label)} → ${e(u.department)}, ${e(w.days(u.days))}`),
    w.none,
  ),
)}
${section(w.timeToFix, `<p style="${FONT}font-size:14px;color:${data.timeToFix.medianDays !== null && data.timeToFix.medianDays > data.timeToFix.targetDays ? '#c92a2a' : '#2b8a3e'};margin:4px 0;">${e(w.median(data.timeToFix.medianDays, data.timeToFix.targetDays, data.timeToFix.deployed))}</p>`)}
<tr><td style="padding:22px 0 4px;" align="center"><a href="${e(data.boardUrl)}" style="${FONT}font-size:15px;background:#1971c2;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:4px;display:inline-block;">${e(w.open)}</a></td></tr>
</table></td></tr></table></td></tr></table></body></html>`;
  return { subject, html };
}

/** The same digest as plain text, for clients that show no HTML. */
export function renderText(data: DigestData, lang: DigestLang): string {
  const w = WORDS[lang];
  const lines = [`LoveBoard · ${data.isoWeek}`, w.intro(data.isoWeek, data.frozen), '', w.kpis.toUpperCase()];
  const shown = data.kpis.filter((kpi) => kpi.value !== null || kpi.previous !== null);
  if (shown.length === 0) lines.push(w.noKpi);
  for (const kpi of shown) {
    const status = kpi.onTarget === null ? '' : kpi.onTarget ? ' (OK)' : ' (!)';
    lines.push(
      `- ${kpi.name}: ${figure(kpi.value, kpi.unit)}${kpi.ci95 !== null ? ` ±${kpi.ci95}` : ''}${status} ${change(kpi.value, kpi.previous)}${kpi.target !== null ? `, ${w.target} ${figure(kpi.target, kpi.unit)}` : ''}`,
    );
  }
  lines.push('', w.top.toUpperCase());
  for (const item of data.items) {
    lines.push(
      '',
      `${item.rank}. ${item.label} (${w.movement(item)}, ${w.total} ${item.total.toFixed(0)})`,
      `   ${w.customers(item.customers)} · ${w.verbatims(item.verbatims)} · ${item.category.replace(/_/g, ' ')}${surveyCosts(item, lang) ? ` · ${surveyCosts(item, lang)}` : ''}`,
      `   ${AXES.map((axis) => `${w.axes[axis]} ${Math.round(item.axes[axis])}`).join(' · ')}`,
    );
    if (item.quote) lines.push(`   « ${item.quote.text} » (${item.quote.channel})`);
    lines.push(
      `   ${w.decision}: ${item.decision ? `${w.kinds[item.decision.kind] ?? item.decision.kind}${item.decision.department ? ` → ${item.decision.department}` : ''}${item.decision.owner ? ` (${item.decision.owner})` : ''}` : w.noDecision}${item.tracker ? ` · ${item.tracker.key} ${item.tracker.url}` : ''}`,
    );
  }
  const block = (title: string, entries: string[]) => [
    '',
    title.toUpperCase(),
    ...(entries.length ? entries.map((x) => `- ${x}`) : [w.none]),
  ];
  if (data.monitorsFailed.length > 0) {
    lines.push(
      ...block(
        w.monitors,
        data.monitorsFailed.map((m) => `${m.name}: ${w.failedRuns(m.failed, m.runs)}`),
      ),
    );
  }
  lines.push(
    ...block(
      w.awaiting,
      data.awaiting.map((item) => `${item.rank}. ${item.label}`),
    ),
    ...block(
      w.decisions,
      data.decisions.map(
        (d) =>
          `${d.label}: ${w.kinds[d.kind] ?? d.kind}${d.department ? ` → ${d.department}` : ''}${d.owner ? ` (${d.owner})` : ''}`,
      ),
    ),
    ...block(
      w.unanswered,
      data.unanswered.map((u) => `${u.label} → ${u.department}, ${w.days(u.days)}`),
    ),
    '',
    w.timeToFix.toUpperCase(),
    w.median(data.timeToFix.medianDays, data.timeToFix.targetDays, data.timeToFix.deployed),
    '',
    `${w.open}: ${data.boardUrl}`,
  );
  return lines.join('\n');
}
