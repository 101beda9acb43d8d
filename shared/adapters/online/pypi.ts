/**
 * PyPI's JSON API (https://docs.pypi.org/api/json/): `GET /pypi/<project>/json` for a project and
 * `GET /pypi/<project>/<version>/json` for one release; `info.yanked`, `info.yanked_reason`,
 * `info.requires_python` and `urls[].yanked` are read.
 */
import { specifierContains } from '../../deps/pep440';
import type { Answer, PypiFacts, PypiRelease } from '../../ports/package-advisor';
import { asObject, type HttpOptions, type JsonResponse, requestJson, trimBase } from './http';

const malformed = (detail: string): Answer<never> => ({
  known: false,
  reason: { kind: 'malformed', detail },
});

/** A release document's facts, or null when it lacks the documented `info` fields. */
function releaseFacts(body: unknown): PypiRelease | null {
  const info = asObject(asObject(body)?.info);
  if (!info || typeof info.version !== 'string') return null;
  const files = Array.isArray(asObject(body)?.urls) ? (asObject(body)!.urls as unknown[]) : [];
  // A release is yanked as a whole (PEP 592); every file being yanked says the same on older answers.
  const everyFileYanked = files.length > 0 && files.every((file) => asObject(file)?.yanked === true);
  const reasonOf = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
  const fileReason = files.map((file) => reasonOf(asObject(file)?.yanked_reason)).find((r) => r !== null);
  return {
    exists: true,
    version: info.version,
    yanked: info.yanked === true || everyFileYanked,
    yankedReason: reasonOf(info.yanked_reason) ?? fileReason ?? null,
    requiresPython: typeof info.requires_python === 'string' ? info.requires_python : null,
  };
}

export class PypiClient {
  private readonly base: string;
  /** One project document per name and run: several pins of one project ask once. */
  private readonly projects = new Map<string, Promise<JsonResponse>>();

  constructor(
    baseUrl: string,
    private readonly http: HttpOptions,
  ) {
    this.base = trimBase(baseUrl);
  }

  private project(name: string): Promise<JsonResponse> {
    let pending = this.projects.get(name);
    if (!pending) {
      pending = requestJson(`${this.base}/pypi/${encodeURIComponent(name)}/json`, {}, this.http);
      this.projects.set(name, pending);
    }
    return pending;
  }

  private release(name: string, version: string): Promise<JsonResponse> {
    const path = `${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
    return requestJson(`${this.base}/pypi/${path}/json`, {}, this.http);
  }

  async facts(name: string, version: string | null): Promise<Answer<PypiFacts>> {
    if (version === null) {
      const project = await this.project(name);
      if (project.kind === 'unknown') return { known: false, reason: project.reason };
      if (project.kind === 'not-found') return { known: true, value: { exists: false } };
      if (!asObject(asObject(project.body)?.info)) return malformed('project answer without "info"');
      return { known: true, value: { exists: true, release: null } };
    }
    const release = await this.release(name, version);
    if (release.kind === 'unknown') return { known: false, reason: release.reason };
    if (release.kind === 'json') {
      const facts = releaseFacts(release.body);
      return facts
        ? { known: true, value: { exists: true, release: facts } }
        : malformed('release answer without "info"');
    }
    // 404: no such project, or no release spelled this way; the project's release list tells which.
    const project = await this.project(name);
    if (project.kind === 'unknown') return { known: false, reason: project.reason };
    if (project.kind === 'not-found') return { known: true, value: { exists: false } };
    const releases = asObject(asObject(project.body)?.releases);
    if (!releases) return malformed('project answer without "releases"');
    // `==2.31` pins 2.31.0 (PEP 440 pads releases with zeros); PyPI's URL wants its own spelling.
    const spelling = Object.keys(releases).find(
      (candidate) => candidate !== version && specifierContains([{ operator: '==', version }], candidate),
    );
    if (spelling === undefined) return { known: true, value: { exists: true, release: { exists: false } } };
    const again = await this.release(name, spelling);
    if (again.kind === 'unknown') return { known: false, reason: again.reason };
    if (again.kind === 'not-found')
      return { known: true, value: { exists: true, release: { exists: false } } };
    const facts = releaseFacts(again.body);
    return facts
      ? { known: true, value: { exists: true, release: facts } }
      : malformed('release answer without "info"');
  }
}
