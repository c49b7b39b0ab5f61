/** A progress bar on a terminal only; elsewhere (CI, jest, a pipe) just the event lines. */
import { MultiBar, Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(seconds: number, values: { sent: number; clustered: number; faults: number; phase: string }): void;
  log(line: string): void;
  stop(): void;
}

export function progress(totalSeconds: number, log: (line: string) => void, enabled: boolean): Progress {
  if (!enabled) return { update: () => undefined, log, stop: () => undefined };
  const multi = new MultiBar(
    {
      format: 'soak {phase} |{bar}| {value}/{total} s  sent={sent} clustered={clustered} faults={faults}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  const bar: SingleBar = multi.create(totalSeconds, 0, { sent: 0, clustered: 0, faults: 0, phase: 'load' });
  return {
    update: (seconds, values) => bar.update(Math.min(totalSeconds, Math.round(seconds)), values),
    log: (line) => multi.log(`${line}\n`),
    stop: () => multi.stop(),
  };
}
