import { startServer } from './app.ts';
import { optionsFromEnv } from './config.ts';
import { createLogger, errorMessage } from './log.ts';

/**
 * `npm run server`: configuration from the environment (see docs/server.md). SIGINT/SIGTERM close
 * gracefully (connections closed, documents flushed and compacted); a second signal exits at once.
 */
async function main(): Promise<void> {
  const options = optionsFromEnv(process.env);
  const log = createLogger({ level: options.logLevel });
  process.on('unhandledRejection', (reason) => {
    log.error('error', { reason: 'unhandled rejection: ' + errorMessage(reason) });
  });
  process.on('uncaughtException', (err) => {
    // State may be inconsistent now. Exiting loses nothing: every forwarded update is stored.
    log.error('error', { reason: 'uncaught exception: ' + errorMessage(err), stack: err.stack });
    process.exit(1);
  });

  const server = await startServer(options);
  const shown = server.url.replace('//127.0.0.1:', '//localhost:');
  process.stdout.write(`Flashbook Studio is running at ${shown}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info('shutdown', { signal });
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('error', { reason: 'shutdown failed: ' + errorMessage(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Flashbook Studio could not start: ${errorMessage(err)}\n`);
  process.exit(1);
});
