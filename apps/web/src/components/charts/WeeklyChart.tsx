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
}

export interface WeeklyChartProps {
  /** What the chart shows, for its text alternative ("NPS per week"). */
  title: string;
  points: WeeklyPoint[];
  unit: string;
  target: number | null;
  /** Already translated labels for the text alternative's columns and the target line. */
  labels: { week: string; value: string; target: string; noValue: string };
  /** Formats a value with its unit, in the UI's language. */
  format: (value: number) => string;
  height?: number;
}

/** "2026-W48" → "W48": the year only adds noise on a twelve-week axis. */
const shortWeek = (isoWeek: string) => isoWeek.replace(/^\d{4}-/, '');

/**
 * A KPI's weekly line with its target as a dashed line. The drawing is hidden from screen readers
 * (an SVG of paths says nothing); a visually hidden table gives them the same figures.
 */
export function WeeklyChart({ title, points, unit, target, labels, format, height = 220 }: WeeklyChartProps) {
  const id = useId();
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
              labelFormatter={(label) => (typeof label === 'string' ? label : '')}
            />
            {target !== null && (
              <ReferenceLine
                y={target}
                stroke="#c0392b"
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
                label={{
                  value: `${labels.target} ${format(target)}`,
                  position: 'insideTopRight',
                  fontSize: 12,
                }}
              />
            )}
            <Line
              type="monotone"
              dataKey="value"
              name={labels.value}
              stroke="#1a5fb4"
              strokeWidth={2}
              dot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labels.week}</th>
            <th scope="col">{labels.value}</th>
            {target !== null && <th scope="col">{labels.target}</th>}
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.isoWeek}>
              <th scope="row">{point.isoWeek}</th>
              <td>{point.value === null ? labels.noValue : format(point.value)}</td>
              {target !== null && <td>{format(target)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
