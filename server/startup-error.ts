/**
 * A reason the server cannot start that the person starting it can fix (a bad setting, a port in
 * use, a data dir it cannot write, a damaged database). `runMain` prints its message as one line
 * and exits non-zero: a clinic's IT reads a sentence, not a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** What a system error at start means for the person starting the box, or undefined when it is a bug. */
export function explainStartupFailure(error: unknown): string | undefined {
  if (error instanceof StartupError) return error.message;
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  const { code } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  const detail = error as { port?: number; path?: string; address?: string };
  switch (code) {
    case 'EADDRINUSE':
      return `port ${detail.port ?? '?'} is in use by another program: stop it, or start Stipple on another port (PORT=…)`;
    case 'EACCES':
    case 'EPERM':
      return detail.port !== undefined
        ? `not allowed to listen on port ${detail.port}: use a port above 1023, or give the service that right`
        : `not allowed to write ${detail.path ?? 'the data directory'}: give the user running Stipple write access, or set STIPPLE_DATA_DIR`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `cannot make the data directory ${detail.path ?? ''}: part of that path is a file; set STIPPLE_DATA_DIR to a folder`;
    case 'EROFS':
      return `${detail.path ?? 'the data directory'} is on a read-only file system: set STIPPLE_DATA_DIR to a writable place`;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
      return 'cannot open the database for writing: give the user running Stipple write access to STIPPLE_DATA_DIR';
    default:
      return undefined;
  }
}

/**
 * Runs a command-line entry point: a failure someone can fix is one line on stderr and exit
 * code 1; anything else is a bug and keeps its stack.
 */
export async function runMain(program: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const explained = explainStartupFailure(error);
    process.stderr.write(explained ? `${program}: ${explained}\n` : `${program}: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  }
}
