import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config';
import { FlywheelStack } from './flywheel-stack';

/** Builds the CDK app: one Flywheel stack for the stage chosen with `-c stage=…`, checked by cdk-nag. */
export function buildApp(app = new App()): { app: App; stack: FlywheelStack } {
  const config = stageConfig(app);
  const stack = new FlywheelStack(app, `Flywheel-${config.stage}`, {
    config,
    description: `Flywheel ${config.stage}: parameter sweeps fanned out over SQS and Lambda`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (require.main === module) buildApp();
