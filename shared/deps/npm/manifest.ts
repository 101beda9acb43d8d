/**
 * package.json read for the guard: the dependencies of each section with where their keys and values are, the
 * values read as npm reads them, and what npm would refuse (parse errors) or silently drop (duplicate keys).
 */
import { basename } from 'node:path';
import type { Node } from 'jsonc-parser';
import type { Finding, Position } from '../model';
import { findingAt } from './findings';
import { describeNode, type JsonDocument, members, parseJson } from './json';
import { isPackageName, type NpmSpec, parseSpec } from './spec';

/** The sections of package.json that name dependencies, in the order npm's docs list them. */
export const SECTIONS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;
export type Section = (typeof SECTIONS)[number];

/** One dependency as package.json declares it (the last key when a section repeats one, as JSON.parse keeps). */
export interface Declaration {
  /** The key: the folder it installs to under node_modules (an alias's own name for `npm:` aliases). */
  readonly name: string;
  readonly section: Section;
  /** The value as written. */
  readonly value: string;
  readonly spec: NpmSpec;
  /** Start of the key (its opening quote). */
  readonly key: Position;
  /** 0-based offset of the key, to tell which of two declarations comes later. */
  readonly offset: number;
}

export interface Manifest {
  readonly file: string;
  /** False when package.json is not a JSON object: no rule can trust what it declares. */
  readonly readable: boolean;
  /** Every declaration with a string value, invalid specs included (their `spec.kind` is `invalid`). */
  readonly declarations: readonly Declaration[];
  /** Every key of each section, whatever its value: what the lock's root entry may list. */
  readonly keys: ReadonlyMap<Section, ReadonlySet<string>>;
  /** parse-error and duplicate-key findings. */
  readonly findings: readonly Finding[];
}

/** Reads package.json; never throws. */
export function readManifest(text: string, file: string): Manifest {
  const document = parseJson(text, file);
  const name = basename(file);
  const findings: Finding[] = [];
  const keys = new Map<Section, Set<string>>();
  const declarations: Declaration[] = [];
  const done = (readable: boolean): Manifest => ({ file, readable, declarations, keys, findings });

  if (document.error) {
    findings.push(
      findingAt(
        file,
        document.error.position,
        'parse-error',
        'error',
        null,
        `${name} ${document.error.message}`,
        document.error.hint,
      ),
    );
    return done(false);
  }
  const root = document.root!;
  if (root.type !== 'object') {
    findings.push(
      findingAt(
        file,
        document.lines.position(root.offset),
        'parse-error',
        'error',
        null,
        `${name} holds ${describeNode(root)}, not a JSON object`,
        'write the project as a JSON object: `{ "name": "…", "dependencies": { … } }`',
      ),
    );
    return done(false);
  }

  findings.push(...duplicateKeys(document, root));
  const at = (node: Node) => document.lines.position(node.offset);
  for (const section of members(root)) {
    if (!(SECTIONS as readonly string[]).includes(section.key)) continue;
    const kind = section.key as Section;
    if (section.value.type !== 'object') {
      findings.push(
        findingAt(
          file,
          at(section.value),
          'parse-error',
          'error',
          null,
          `"${kind}" is ${describeNode(section.value)}; npm expects an object of package names to versions`,
          `write "${kind}": { "name": "^1.2.3" }`,
        ),
      );
      continue;
    }
    // A section written twice: JSON.parse (and npm) keep only the last one.
    const sectionKeys = new Set<string>();
    const kept = new Map<string, Declaration>();
    for (const entry of members(section.value)) {
      sectionKeys.add(entry.key);
      const validName = isPackageName(entry.key);
      if (!validName) {
        findings.push(
          findingAt(
            file,
            at(entry.keyNode),
            'parse-error',
            'error',
            null,
            `"${entry.key}" in ${kind} is not a valid npm package name`,
            'use the name as the registry spells it: lower case, no spaces, `@scope/name` for scoped packages',
          ),
        );
      }
      if (entry.value.type !== 'string') {
        findings.push(
          findingAt(
            file,
            at(entry.value),
            'parse-error',
            'error',
            entry.key,
            `the version of ${entry.key} in ${kind} is ${describeNode(entry.value)}; npm expects a string`,
            `write it as a string, e.g. "${entry.key}": "^1.2.3"`,
          ),
        );
        kept.delete(entry.key);
        continue;
      }
      const value = String(entry.value.value);
      const spec = parseSpec(value);
      if (spec.kind === 'invalid') {
        findings.push(
          findingAt(
            file,
            at(entry.value),
            'parse-error',
            'error',
            entry.key,
            `the version of ${entry.key} in ${kind}, "${value}", is not one npm accepts: ${spec.reason}`,
            `write a range such as "^1.2.3", or a dist-tag such as "latest"`,
          ),
        );
      }
      // A name npm refuses is reported once, here; the other rules leave it alone.
      if (!validName) continue;
      kept.set(entry.key, {
        name: entry.key,
        section: kind,
        value,
        spec,
        key: at(entry.keyNode),
        offset: entry.keyNode.offset,
      });
    }
    keys.set(kind, sectionKeys);
    // A repeated section replaces the earlier one, as JSON.parse does.
    for (let i = declarations.length - 1; i >= 0; i--)
      if (declarations[i]!.section === kind) declarations.splice(i, 1);
    declarations.push(...kept.values());
  }
  return done(true);
}

/** A key written twice in one object: JSON.parse and npm keep the last silently, so the first is dead text. */
function duplicateKeys(document: JsonDocument, root: Node): Finding[] {
  const findings: Finding[] = [];
  const visit = (node: Node, path: readonly string[]) => {
    if (node.type === 'array') {
      for (const child of node.children ?? []) visit(child, path);
      return;
    }
    if (node.type !== 'object') return;
    const seen = new Map<string, Node>();
    for (const entry of members(node)) {
      const first = seen.get(entry.key);
      if (first) {
        const inSection = path.length === 1 && (SECTIONS as readonly string[]).includes(path[0]!);
        const firstAt = document.lines.position(first.offset);
        const where = path.length === 0 ? 'package.json' : `"${path.join('.')}"`;
        findings.push(
          findingAt(
            document.file,
            document.lines.position(entry.keyNode.offset),
            'duplicate',
            'warning',
            inSection ? entry.key : null,
            `"${entry.key}" appears twice in ${where} (first on line ${firstAt.line}): npm reads only this last one, the first is ignored`,
            'remove one of the two keys (merge them if both hold something you need)',
          ),
        );
      }
      seen.set(entry.key, entry.keyNode);
      visit(entry.value, [...path, entry.key]);
    }
  };
  visit(root, []);
  return findings;
}
