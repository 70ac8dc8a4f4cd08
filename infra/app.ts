import { App } from 'aws-cdk-lib';
import { addPlatformStacks } from './platform-app.ts';

/** CDK entry (`cdk.json`): `npx cdk synth --context stage=dev|prod`. */
const app = new App();
addPlatformStacks(app);
app.synth();
