import { join } from 'node:path';
import pino, { type DestinationStream, type LevelWithSilent } from 'pino';
import type { AppConfig } from './env';

const ORDER: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The level the logger itself must run at: the more verbose of stdout's and the log directory's, so
 * that each destination can then keep only its own lines.
 */
export function effectiveLogLevel(config: AppConfig): LevelWithSilent {
  if (config.logDir === null) return config.logLevel;
  return ORDER.indexOf(config.logLevel) <= ORDER.indexOf(config.logDirLevel)
    ? config.logLevel
    : config.logDirLevel;
}

// One file handle per file and process: the tests start many applications in one process, and an
// application closing does not close its logger's stream.
const files = new Map<string, DestinationStream>();

function fileDestination(path: string): DestinationStream {
  let stream = files.get(path);
  if (stream === undefined) {
    // Synchronous appends: a line is on disk before the process can be killed, so a crash loses
    // nothing, and several processes appending to one directory never interleave within a line.
    stream = pino.destination({ dest: path, mkdir: true, append: true, sync: true });
    files.set(path, stream);
  }
  return stream;
}

/**
 * Where a process's log lines go: `fd` (stdout, or stderr for the CLI whose stdout is the command's
 * answer) and, when `LOG_DIR` is set, also `<LOG_DIR>/<name>-<pid>.log` at `LOG_DIR_LEVEL`.
 * The lines are the same scrubbed JSON in both (see `loggerOptions`).
 */
export function logDestination(config: AppConfig, name: string, fd: 1 | 2 = 1): DestinationStream {
  const standard = pino.destination(fd);
  if (config.logDir === null) return standard;
  return pino.multistream([
    { level: config.logLevel, stream: standard },
    { level: config.logDirLevel, stream: fileDestination(join(config.logDir, `${name}-${process.pid}.log`)) },
  ]);
}
