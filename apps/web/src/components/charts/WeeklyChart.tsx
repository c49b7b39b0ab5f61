import { useId } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import './charts.css';

export interface WeeklyPoint {
  /** ISO week, e.g. 2026-W48. */
  isoWeek: string;
  value: number | null;
  /** The week is not over (the current one): drawn hollow, said in words. */
  partial?: boolean;
  /** Answers or points behind the value, when it matters (surveys): shown in the table. */
  n?: number;
}

export interface WeeklyChartProps {
  /** What the chart shows, for its text alternative ("NPS per week"). */
  title: string;
  points: WeeklyPoint[];
  unit: string;
  target: number | null;
  /**
   * Already translated labels for the text alternative's columns, the target line and the partial
   * week ("W48 so far": `partial` receives the short week).
   */
  labels: {
    week: string;
    value: string;
    target: string;
    noValue: string;
    partial?: (week: string) => string;
    n?: string;
  };
  /** Formats a value with its unit, in the UI's language. */
  format: (value: number) => string;
  height?: number;
  /** The target, in words ("Target: at least 30"), shown under the drawing rather than over the data. */
  targetText?: string;
}

/** "2026-W48" → "W48": the year only adds noise on a twelve-week axis. */
const shortWeek = (isoWeek: string) => isoWeek.replace(/^\d{4}-/, '');

const BLUE = '#1a5fb4';

/**
 * A weekly line through the real points (straight segments: no smoothing that overshoots them),
 * with its target as a dashed line named under the drawing (a label on the line would cover the
 * data), and the running week drawn hollow and named as partial. The drawing is hidden from screen
 * readers (an SVG of paths says nothing); a visually hidden table gives them the same figures.
 */
export function WeeklyChart({
  title,
  points,
  unit,
  target,
  labels,
  format,
  height = 220,
  targetText,
}: WeeklyChartProps) {
  const id = useId();
  const partial = points.find((point) => point.partial && point.value !== null);
  const showN = labels.n !== undefined && points.some((point) => point.n !== undefined);
  return (
    <figure className="charts-figure" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="sr-only">
        {title}
      </figcaption>
      <div className="charts-drawing" aria-hidden="true">
        <ResponsiveContainer width="100%" height={height}>
          <LineChart
            data={points}
            accessibilityLayer={false}
            margin={{ top: 12, right: 16, bottom: 4, left: 4 }}
          >
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e3e3" />
            <XAxis dataKey="isoWeek" tickFormatter={shortWeek} fontSize={12} />
            <YAxis fontSize={12} width={56} unit={unit.length <= 3 ? ` ${unit}` : undefined} />
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? format(value) : labels.noValue)}
              labelFormatter={(label) => {
                const week = typeof label === 'string' ? label : '';
                const point = points.find((one) => one.isoWeek === week);
                return point?.partial && labels.partial ? labels.partial(shortWeek(week)) : week;
              }}
            />
            {target !== null && (
              <ReferenceLine y={target} stroke="#c0392b" strokeDasharray="6 4" ifOverflow="extendDomain" />
            )}
            <Line
              type="linear"
              dataKey="value"
              name={labels.value}
              stroke={BLUE}
              strokeWidth={2}
              dot={(props: { cx?: number; cy?: number; index?: number; payload?: WeeklyPoint }) => {
                const { cx, cy, index, payload } = props;
                if (cx === undefined || cy === undefined || payload?.value == null)
                  return <g key={`dot-${index}`} />;
                return (
                  <circle
                    key={`dot-${index}`}
                    cx={cx}
                    cy={cy}
                    r={payload.partial ? 4 : 3}
                    fill={payload.partial ? '#fff' : BLUE}
                    stroke={BLUE}
                    strokeWidth={2}
                    className={payload.partial ? 'charts-dot-partial' : 'charts-dot'}
                  />
                );
              }}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      {(targetText || (partial && labels.partial)) && (
        <p className="charts-legend">
          {targetText && (
            <span className="charts-legend-target">
              <span className="charts-swatch charts-swatch-target" aria-hidden="true" />
              {targetText}
            </span>
          )}
          {partial && labels.partial && (
            <span className="charts-legend-partial">
              <span className="charts-swatch charts-swatch-partial" aria-hidden="true" />
              {labels.partial(shortWeek(partial.isoWeek))}
            </span>
          )}
        </p>
      )}
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labels.week}</th>
            <th scope="col">{labels.value}</th>
            {showN && <th scope="col">{labels.n}</th>}
            {target !== null && <th scope="col">{labels.target}</th>}
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.isoWeek}>
              <th scope="row">
                {point.partial && labels.partial ? labels.partial(point.isoWeek) : point.isoWeek}
              </th>
              <td>{point.value === null ? labels.noValue : format(point.value)}</td>
              {showN && <td>{point.n ?? ''}</td>}
              {target !== null && <td>{format(target)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
