import type { ZodError } from 'zod';

/** How an issue's field is named: a prefix before its path, and the name of an empty path. */
export interface IssueNaming {
  readonly prefix?: string;
  readonly top?: string;
}

/** Each issue as `field: message`, the field from its path (so a message names what to fix, never the input). */
export function issueLines(error: ZodError, naming: IssueNaming = {}): string[] {
  const { prefix = '', top = '(top level)' } = naming;
  return error.issues.map((issue) => `${prefix}${issue.path.join('.') || top}: ${issue.message}`);
}

/** The issues as a bulleted list, one `  - field: message` per line, for multi-line error messages. */
export function issueList(error: ZodError, naming: IssueNaming = {}): string {
  return issueLines(error, naming)
    .map((line) => `  - ${line}`)
    .join('\n');
}
