import { App } from 'aws-cdk-lib';
import { StageConfigError } from './config.ts';
import { addPlatformStacks } from './platform-app.ts';

/** CDK entry (`cdk.json`): `npx cdk synth --context stage=dev|prod`. */
const app = new App();
try {
  addPlatformStacks(app);
} catch (err) {
  // A setting the person must give or correct: say which, without a stack trace in the way.
  if (!(err instanceof StageConfigError)) throw err;
  console.error(`Cannot synthesise: ${err.message}`);
  process.exit(1);
}
app.synth();
