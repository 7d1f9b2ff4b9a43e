import { ConfigError } from './config/schema';
import { loadEnvironments } from './config/environments';
import { App } from './constructs/framework';
import { OktaStack } from './stacks/okta-stack';
import { ReceiverStack } from './stacks/receiver-stack';

/** One set of stacks per environment, from one validated config. */
export function buildApp(outdir?: string): App {
  const app = new App(outdir ? { outdir } : {});
  for (const environment of loadEnvironments()) {
    // Deploy order: receiver-<env>, then okta-<env> (which reads the receiver's URL and token).
    const receiver = environment.receiver.deploy ? new ReceiverStack(app, `receiver-${environment.name}`, { environment }) : undefined;
    new OktaStack(app, `okta-${environment.name}`, { environment, ...(receiver ? { receiver: receiver.endpoint } : {}) });
  }
  return app;
}

if (require.main === module) {
  try {
    buildApp().synth();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
