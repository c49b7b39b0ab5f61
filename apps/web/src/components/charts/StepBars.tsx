import './charts.css';

export interface StepBar {
  name: string;
  ms: number;
  status: string;
  error?: string;
}

export interface StepBarsProps {
  steps: StepBar[];
  format: (ms: number) => string;
  /** The translated word for a step status (ok, failed, skipped). */
  statusLabel: (status: string) => string;
}

/**
 * One small horizontal bar per journey step, its length relative to the slowest step. The text
 * (name, time, status, error) carries the facts; the bar only repeats them for the eye.
 */
export function StepBars({ steps, format, statusLabel }: StepBarsProps) {
  const longest = Math.max(1, ...steps.map((step) => step.ms));
  return (
    <ol className="charts-steps">
      {steps.map((step, index) => (
        <li key={`${index}-${step.name}`} className={`charts-step charts-step-${step.status}`}>
          <span className="charts-step-name">{step.name}</span>
          <span className="charts-step-track" aria-hidden="true">
            <span
              className="charts-step-bar"
              style={{ width: `${Math.max(2, (step.ms / longest) * 100).toFixed(1)}%` }}
            />
          </span>
          <span className="charts-step-time">
            {format(step.ms)} · {statusLabel(step.status)}
          </span>
          {step.error && <span className="charts-step-error">{step.error}</span>}
        </li>
      ))}
    </ol>
  );
}
