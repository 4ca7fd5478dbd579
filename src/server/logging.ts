import { createRequire } from 'node:module';
import { type Logger, type LoggerOptions, pino } from 'pino';
import { type Config, ConfigError } from './config.ts';

type LogSettings = Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>;

const resolveFromHere = createRequire(import.meta.url).resolve;

/**
 * pino's options for LOG_LEVEL and LOG_FORMAT. `json` (the default) writes one JSON object per line
 * on stdout, for log collectors; `pretty` renders the same events for a developer's terminal through
 * pino-pretty, a devDependency, so a production install (dev dependencies omitted) refuses it with a
 * clear message instead of pino's "unable to determine transport target".
 */
export function loggerOptions(
  settings: LogSettings,
  resolve: (id: string) => string = resolveFromHere,
): LoggerOptions {
  if (settings.LOG_FORMAT !== 'pretty') return { level: settings.LOG_LEVEL };
  let target: string;
  try {
    target = resolve('pino-pretty');
  } catch {
    throw new ConfigError(
      'LOG_FORMAT=pretty needs pino-pretty, a development dependency that is not installed here ' +
        '(production installs omit dev dependencies). Use LOG_FORMAT=json, or install the dev dependencies.',
    );
  }
  return {
    level: settings.LOG_LEVEL,
    transport: { target, options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
  };
}

/** A logger for what a process reports before (or besides) its HTTP server's own `app.log`. */
export function createLogger(settings: LogSettings): Logger {
  return pino(loggerOptions(settings));
}
