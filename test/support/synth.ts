import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app';
import type { FlywheelStack } from '../../infra/flywheel-stack';

const CDK_JSON = require('../../cdk.json') as { context: Record<string, unknown> };

/** Builds the app with cdk.json's context plus `context`, without bundling (tests check the template, not code). */
export function synthesise(context: Record<string, unknown> = {}): {
  app: App;
  stack: FlywheelStack;
  template: Template;
} {
  const app = new App({
    context: { ...CDK_JSON.context, ...context, 'aws:cdk:bundling-stacks': [] },
    outdir: mkdtempSync(join(tmpdir(), 'flywheel-cdk-')),
  });
  const { stack } = buildApp(app);
  app.synth();
  return { app, stack, template: Template.fromStack(stack) };
}

/** cdk.json's stages with one stage's settings replaced. */
export function withStage(stage: string, settings: Record<string, unknown>): Record<string, unknown> {
  const stages = CDK_JSON.context.stages as Record<string, Record<string, unknown>>;
  return { stage, stages: { ...stages, [stage]: { ...stages[stage], ...settings } } };
}
