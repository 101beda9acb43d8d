import { issueList } from '@shared/validation/zod-issues';
import type { z } from 'zod';

/** A request or event the content functions refuse as sent; the message names the field. */
export class ContentRequestError extends Error {
  override readonly name = 'ContentRequestError';
}

/** The issues of a failed parse, one line each, naming the field. */
export function describeIssues(error: z.ZodError): string {
  return issueList(error);
}
