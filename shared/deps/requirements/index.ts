/**
 * Requirements files (pip's format, pip-compile and `uv export` output): parsing with exact positions, and the
 * graph of files that `-r` and `-c` include.
 * https://pip.pypa.io/en/stable/reference/requirements-file-format/
 */
export type { EntryOption, RequirementsEntry } from './entry';
export type { Include, OptionLine, RequirementsFile } from './file';
export { parseRequirementsFile } from './file';
export type { GraphProblem, RequirementsEdge, RequirementsGraph } from './graph';
export { loadRequirementsGraph, resolveInclude } from './graph';
export type { Env, LogicalLine } from './lines';
export { splitLogicalLines } from './lines';
