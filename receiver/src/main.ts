import './compile-cache';
import { ReceiverConfigError } from './admin/receiver-config';
import { startReceiver } from './server';
import { SettingsError, loadSettings } from './settings';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let receiver;
  try {
    receiver = await startReceiver(settings);
  } catch (error) {
    if (error instanceof ReceiverConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    receiver.app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      receiver.app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, settings.shutdownTimeoutMs);
    timer.unref();
    receiver.close().then(
      () => process.exit(0),
      (error: unknown) => {
        receiver.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`receiver failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
