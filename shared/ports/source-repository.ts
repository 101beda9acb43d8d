/** A repository on a code host, as `owner/name`. */
export interface RepositoryId {
  readonly owner: string;
  readonly name: string;
}

/** The states a commit status can have (GitHub's statuses API). */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** A status to attach to a commit: the check mark (or cross) next to it on the code host. */
export interface CommitStatus {
  readonly state: CommitState;
  /** One line; the code host cuts it at 140 characters. */
  readonly description: string;
  /** Tells this status apart from other systems' (a later status with the same context replaces it). */
  readonly context: string;
  readonly targetUrl?: string;
}

/** The code host refused or failed a request; `status` is its HTTP status, if it answered at all. */
export class SourceRepositoryError extends Error {
  override readonly name = 'SourceRepositoryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Reads a repository's files at a commit and reports on commits: GitHub's REST API, or a test double. */
export interface SourceRepository {
  /**
   * The file's text at `ref` (UTF-8, a leading BOM removed), or undefined when the repository has no such file
   * there (or the path is a folder). Throws SourceRepositoryError when the code host fails.
   */
  readFile(repository: RepositoryId, path: string, ref: string): Promise<string | undefined>;
  /** Attaches a status to a commit. Throws SourceRepositoryError when the code host refuses it. */
  setCommitStatus(repository: RepositoryId, sha: string, status: CommitStatus): Promise<void>;
}
