/** `deps check --online`: registry and vulnerability checks over a port, pure like the rest of the guard. */
export type { VulnerabilitySummary } from './advisories';
export { advisorySeverity, firstFixed, summarizeVulnerabilities } from './advisories';
export type { OnlineResult, OnlineUnknown } from './check-online';
export { checkOnline, mergeOnlineFindings, npmDeprecatedFinding } from './check-online';
export { cvssBaseScore, scoreSeverity } from './cvss';
export { compareEcosystemVersions } from './versions';
