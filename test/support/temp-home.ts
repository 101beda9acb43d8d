import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh Flywheel home folder for one test. */
export function tempHome(label = 'home'): string {
  return mkdtempSync(join(tmpdir(), `flywheel-${label}-`));
}
