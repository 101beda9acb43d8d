import { isValidWebhookSignature } from '@shared/adapters/github/webhook-signature';
import { type CheckResult, checkManifests } from '@shared/deps/check/check';
import { DEFAULT_CHECK_OPTIONS } from '@shared/deps/check/options';
import { isManifestName, isNodeManifestName } from '@shared/deps/manifest-names';
import type { Finding } from '@shared/deps/model';
import { publicReport } from '@shared/deps/report';
import type { ManifestReader } from '@shared/ports/manifest-reader';
import type { SecretStore } from '@shared/ports/secret-store';
import {
  type CommitStatus,
  type RepositoryId,
  type SourceRepository,
  SourceRepositoryError,
} from '@shared/ports/source-repository';
import { issueList } from '@shared/validation/zod-issues';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type GitHubPushEvent, GitHubPushEventSchema } from '../../events/catalog';
import type { SecretName } from '../../events/topology';
import { jsonResponse, problem } from '../lib/http';

/** The context of the commit status: what GitHub shows next to the check mark. */
export const STATUS_CONTEXT = 'flywheel/deps';

/** What the webhook needs from the world. */
export interface GitHubWebhookDependencies {
  readonly secrets: SecretStore;
  readonly repository: SourceRepository;
  /** Called with every completed check (metrics). */
  readonly onChecked?: (result: CheckResult) => void;
}

const ZERO_SHA = /^0{40}$/;

/**
 * The manifests to check for a push: those it added or modified, over all its commits and the head commit, each
 * once, sorted. A changed package-lock.json is checked through the package.json beside it, which reads it.
 */
export function changedManifests(push: GitHubPushEvent): string[] {
  const changed = new Set<string>();
  for (const commit of [...push.commits, ...(push.head_commit ? [push.head_commit] : [])]) {
    for (const path of [...commit.added, ...commit.modified]) {
      // A lockfile is checked through the package.json beside it.
      if (isNodeManifestName(path)) changed.add(path.replace(/package-lock\.json$/, 'package.json'));
      else if (isManifestName(path)) changed.add(path);
    }
  }
  return [...changed].sort();
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The status line: the counts by severity and how many manifests were read, at most 140 characters. */
export function statusFor(result: { files: readonly string[]; findings: readonly Finding[] }): CommitStatus {
  const count = (severity: Finding['severity']) =>
    result.findings.filter((finding) => finding.severity === severity).length;
  const errors = count('error');
  const description = `${plural(errors, 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info in ${plural(result.files.length, 'manifest')}`;
  return {
    state: errors > 0 ? 'failure' : 'success',
    description: description.slice(0, 140),
    context: STATUS_CONTEXT,
  };
}

/**
 * The repository at one commit as a ManifestReader, so includes (`-r`, `-c`) are fetched as the check reaches
 * them. Paths outside the repository read as absent. The check turns a read that throws into an include-error
 * finding, so failures of the code host are also kept here, to be reported as what they are.
 */
export function repositoryManifestReader(
  source: SourceRepository,
  repository: RepositoryId,
  ref: string,
): { reader: ManifestReader; failures: SourceRepositoryError[] } {
  const failures: SourceRepositoryError[] = [];
  const reads = new Map<string, Promise<string | undefined>>();
  const reader: ManifestReader = {
    read(path) {
      const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
      if (normalized.startsWith('/') || normalized.split('/').includes('..'))
        return Promise.resolve(undefined);
      let read = reads.get(normalized);
      if (!read) {
        read = source.readFile(repository, normalized, ref).catch((error: unknown) => {
          if (error instanceof SourceRepositoryError) failures.push(error);
          throw error;
        });
        reads.set(normalized, read);
      }
      return read;
    },
  };
  return { reader, failures };
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

/**
 * `github-webhook`: GitHub's push webhook. Authenticates each delivery by its X-Hub-Signature-256 (the route has
 * no other authorizer), checks the manifests the push added or modified at the pushed commit, and posts the
 * result as the commit status `flywheel/deps`.
 */
export function createGitHubWebhook(deps: GitHubWebhookDependencies) {
  const missingSecret = (name: SecretName, what: string) =>
    problem(503, `${what} is not configured: ${deps.secrets.howToSet(name)}`);

  async function checkPush(push: GitHubPushEvent): Promise<APIGatewayProxyStructuredResultV2> {
    const sha = push.after;
    if (push.deleted || ZERO_SHA.test(sha))
      return jsonResponse(200, { note: `the push deleted ${push.ref}: nothing to check` });
    const paths = changedManifests(push);
    if (paths.length === 0) {
      return jsonResponse(200, {
        sha,
        note: 'the push changed no manifest: nothing checked, no status posted',
      });
    }
    if (!(await deps.secrets.get('github-token'))) return missingSecret('github-token', 'the GitHub token');

    const [owner, name] = push.repository.full_name.split('/') as [string, string];
    const repository: RepositoryId = { owner, name };
    try {
      const { reader, failures } = repositoryManifestReader(deps.repository, repository, sha);
      const present: string[] = [];
      for (const path of paths) if ((await reader.read(path)) !== undefined) present.push(path);
      if (present.length === 0) {
        return jsonResponse(200, {
          sha,
          note: 'the manifests this push changed are gone at its head commit: nothing checked, no status posted',
        });
      }
      const result = await checkManifests(present, reader, DEFAULT_CHECK_OPTIONS, {});
      if (failures.length > 0) throw failures[0];
      deps.onChecked?.(result);
      const status = statusFor(result);
      await deps.repository.setCommitStatus(repository, sha, status);
      return jsonResponse(200, {
        sha,
        state: status.state,
        description: status.description,
        ...publicReport(result),
      });
    } catch (error) {
      if (!(error instanceof SourceRepositoryError)) throw error;
      // Say so on the commit too, if GitHub takes it; the answer says it either way (GitHub shows it per delivery).
      const description = `could not check the manifests: GitHub ${error.status ? `answered ${error.status}` : 'failed'}; redeliver the webhook`;
      const posted = await deps.repository
        .setCommitStatus(repository, sha, { state: 'error', description, context: STATUS_CONTEXT })
        .then(
          () => true,
          () => false,
        );
      return problem(502, `${error.message}${posted ? ' (commit status set to error)' : ''}`);
    }
  }

  /** POST /webhooks/github. */
  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const secret = await deps.secrets.get('github-webhook-secret');
    if (!secret) return missingSecret('github-webhook-secret', 'the GitHub webhook secret');
    const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (!isValidWebhookSignature(raw, header(event, 'x-hub-signature-256'), secret)) {
      return problem(
        401,
        'X-Hub-Signature-256 is missing or does not match: the secret in the webhook settings on GitHub must equal the configured webhook secret',
      );
    }
    const type = header(event, 'x-github-event');
    if (type === 'ping') return jsonResponse(200, { message: 'pong' });
    if (type !== 'push') {
      return jsonResponse(202, {
        message: `ignored: only push events are checked (this was ${type ? `"${type}"` : 'an event without X-GitHub-Event'})`,
      });
    }
    if (/x-www-form-urlencoded/i.test(header(event, 'content-type') ?? '')) {
      return problem(415, 'set the webhook content type to application/json in its settings on GitHub');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      return problem(400, `the push payload is not valid JSON: ${(error as Error).message}`);
    }
    const push = GitHubPushEventSchema.safeParse(payload);
    if (!push.success) {
      return problem(400, `the push payload is not what GitHub sends:\n${issueList(push.error)}`);
    }
    return checkPush(push.data);
  }

  return { http };
}
