/**
 * PEP 508 dependency specifiers, as the current "Dependency specifiers" specification defines them
 * (PEP 508 plus PEP 685 extra normalisation and the `extras` / `dependency_groups` marker variables),
 * matching Python's `packaging` 26.2.
 * https://packaging.python.org/en/latest/specifications/dependency-specifiers/
 */
export { markersExclusive } from './exclusive';
export type { MarkerEnvironment } from './marker';
export { evaluateMarker, formatMarker } from './marker';
export { isValidName, normalizeExtra, normalizeName } from './names';
export type { ParseMarkerResult, ParseRequirementResult } from './requirement';
export { formatRequirement, parseMarker, parseRequirement } from './requirement';
