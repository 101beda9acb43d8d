import { posix } from 'node:path';
import { type CheckResult, checkManifests } from '@shared/deps/check/check';
import { type CheckOptions, DEFAULT_CHECK_OPTIONS } from '@shared/deps/check/options';
import { publicReport } from '@shared/deps/report';
import type { ManifestReader } from '@shared/ports/manifest-reader';
import { issueList } from '@shared/validation/zod-issues';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type DepsCheckRequest, DepsCheckRequestSchema } from '../../events/catalog';
import { BadRequestError, jsonBody, jsonResponse, problem } from '../lib/http';

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Manifests held in memory by normalised path; anything else reads as absent (an include-error at its include). */
export function inMemoryManifestReader(files: ReadonlyMap<string, string>): ManifestReader {
  return { read: async (path) => files.get(posix.normalize(path.replace(/\\/g, '/'))) };
}

/** The request body, validated; throws BadRequestError naming every field at fault. */
export function parseDepsCheckRequest(input: unknown): DepsCheckRequest {
  const parsed = DepsCheckRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new BadRequestError(`request body is invalid:\n${issueList(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * `deps-check`: runs the dependency guard over manifests sent in the request, with includes resolved among
 * them, and answers with the CLI's JSON report. No environment variable reaches `${VAR}` in a manifest.
 */
export function createDepsChecker(hooks: { onChecked?: (result: CheckResult) => void } = {}) {
  async function check(request: DepsCheckRequest): Promise<CheckResult> {
    const files = new Map<string, string>();
    for (const [index, file] of request.files.entries()) {
      const path = posix.normalize(file.path);
      if (files.has(path)) throw new BadRequestError(`files.${index}.path: ${file.path} is given twice`);
      files.set(path, stripBom(file.content));
    }
    const roots = (request.paths ?? [...files.keys()]).map((path) => posix.normalize(path));
    const unknown = roots.findIndex((path) => !files.has(path));
    if (unknown >= 0) {
      throw new BadRequestError(
        `paths.${unknown}: ${request.paths![unknown]} is not among the files sent; add it to files, or leave paths out to check every file`,
      );
    }
    const options: CheckOptions = {
      ...DEFAULT_CHECK_OPTIONS,
      ...(request.python ? { python: request.python } : {}),
      requirePins: request.requirePins ?? false,
    };
    const result = await checkManifests(roots, inMemoryManifestReader(files), options, {});
    hooks.onChecked?.(result);
    return result;
  }

  /** POST /deps/check: 200 with `{ files, findings }`, or 400 with the reason. */
  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      const body = jsonBody(event);
      if (body === undefined)
        return problem(400, 'the request body must be JSON: { "files": [{ "path", "content" }, …] }');
      return jsonResponse(200, publicReport(await check(parseDepsCheckRequest(body))));
    } catch (error) {
      if (error instanceof BadRequestError) return problem(400, error.message);
      throw error;
    }
  }

  return { check, http };
}
