import { followLink, type LockEntry, type Lockfile, resolveFrom } from './lockfile';

/**
 * Which of the project's own dependencies (or workspaces) pull a locked package in: found by walking the lock's
 * dependency edges backwards, as Node would resolve them, from the package up to a direct dependency.
 */
export class PulledInBy {
  private parents: Map<string, Set<string>> | null = null;

  constructor(
    private readonly lock: Lockfile,
    /** Install paths of direct dependencies and workspaces, with the name to report for each. */
    private readonly roots: ReadonlyMap<string, string>,
  ) {}

  /** Whether any locked package depends on the one at `path` (one nothing needs is left over from an old tree). */
  isRequired(path: string): boolean {
    return (this.reverseEdges().get(path)?.size ?? 0) > 0;
  }

  /** The direct dependencies that lead to `path`, each once, in alphabetical order. */
  of(path: string): string[] {
    const parents = this.reverseEdges();
    const found: string[] = [];
    const seen = new Set<string>([path]);
    let frontier = [path];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const current of frontier) {
        for (const parent of parents.get(current) ?? []) {
          if (seen.has(parent)) continue;
          seen.add(parent);
          const root = this.roots.get(parent);
          // A direct dependency is where the chain ends: what pulls it in is the project itself.
          if (root !== undefined) found.push(root);
          else next.push(parent);
        }
      }
      frontier = next;
    }
    return [...new Set(found)].sort();
  }

  private reverseEdges(): Map<string, Set<string>> {
    if (this.parents) return this.parents;
    const parents = new Map<string, Set<string>>();
    const add = (child: LockEntry, parent: string) => {
      const set = parents.get(child.path) ?? new Set<string>();
      set.add(parent);
      parents.set(child.path, set);
    };
    for (const entry of this.lock.entries.values()) {
      const target = followLink(this.lock, entry);
      // A link's folder belongs to the link: what the folder requires, the link pulls in.
      if (target !== entry) add(target, entry.path);
      if (entry.link) continue;
      for (const name of entry.requires) {
        const child = resolveFrom(this.lock, entry.path, name);
        if (child && child.path !== entry.path) add(child, entry.path);
      }
    }
    this.parents = parents;
    return parents;
  }
}
