export { loadConfig, loadConfigOrExit, ConfigError, redactUrl } from './env';
export type { AppConfig, RunMode, LogLevel } from './env';
export { ConfigModule, APP_CONFIG } from './config.module';
export { loggerOptions, scrubForLog, scrubString } from './logging';
export { closeOnSignals } from './signals';
export { findShippedFile } from './shipped-file';
export { SecretBox, localSecret } from './secrets';
export { describeValidationErrors } from './validation-errors';
export type { ValidationProblem } from './validation-errors';
