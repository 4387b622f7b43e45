/**
 * The minimal logger the runtime writes to (error handlers, task life cycle). Any
 * structured logger (pino, console) fits; the default writes to the console.
 */
export interface Logger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(message, fields ?? ''),
  error: (message, fields) => console.error(message, fields ?? ''),
};

/** Discards everything; tests that expect failures use it to keep their output clean. */
export const silentLogger: Logger = { warn: () => {}, error: () => {} };
