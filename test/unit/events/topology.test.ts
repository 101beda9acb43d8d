import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PLATFORM_IDS, TONES } from '@shared/content/model';
import { CONTENT_PLATFORMS, CONTENT_TONES } from '../../../events/catalog';
import { FUNCTIONS, QUEUES } from '../../../events/topology';

const ROOT = join(__dirname, '../../..');

describe('the topology', () => {
  it('gives every function a folder under functions/', () => {
    for (const name of Object.keys(FUNCTIONS))
      expect([name, existsSync(join(ROOT, 'functions', name, 'app.ts'))]).toEqual([name, true]);
  });

  it('triggers functions only from queues it declares', () => {
    for (const [name, definition] of Object.entries(FUNCTIONS)) {
      for (const trigger of definition.triggers) {
        if (trigger.type === 'queue') expect([name, trigger.queue in QUEUES]).toEqual([name, true]);
      }
    }
  });

  it('gives every queue with a redrive policy an existing dead-letter queue', () => {
    for (const [name, queue] of Object.entries(QUEUES)) {
      if ('deadLetterQueue' in queue)
        expect([name, queue.deadLetterQueue in QUEUES, queue.maxReceiveCount > 0]).toEqual([
          name,
          true,
          true,
        ]);
    }
  });

  it('keeps each queue’s visibility timeout at least six times its consumer’s timeout', () => {
    for (const [name, definition] of Object.entries(FUNCTIONS)) {
      for (const trigger of definition.triggers) {
        if (trigger.type !== 'queue') continue;
        const queue = QUEUES[trigger.queue as keyof typeof QUEUES];
        expect([name, queue.visibilityTimeoutSeconds >= 6 * definition.timeoutSeconds]).toEqual([name, true]);
      }
    }
  });

  it('declares each HTTP route once', () => {
    const routes = Object.values(FUNCTIONS).flatMap((definition) =>
      definition.triggers.flatMap((trigger) =>
        trigger.type === 'http' ? [`${trigger.method} ${trigger.path}`] : [],
      ),
    );
    expect(new Set(routes).size).toBe(routes.length);
    expect(routes).toEqual(expect.arrayContaining(['POST /sweeps', 'GET /sweeps', 'GET /sweeps/{id}']));
  });
});

describe('the content vocabulary in the event catalog', () => {
  it('names the same platforms and tones as the domain (the catalog imports zod only, so it keeps a copy)', () => {
    expect([...CONTENT_PLATFORMS]).toEqual([...PLATFORM_IDS]);
    expect([...CONTENT_TONES]).toEqual([...TONES]);
  });
});
