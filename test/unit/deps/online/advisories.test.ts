import { describe, expect, it } from '@jest/globals';
import { parseAdvisory } from '@shared/adapters/online/osv';
import {
  advisorySeverity,
  compareEcosystemVersions,
  cvssBaseScore,
  firstFixed,
  scoreSeverity,
  summarizeVulnerabilities,
} from '@shared/deps/online';
import type { OsvAdvisory } from '@shared/ports/package-advisor';
import { osvRecord } from './fixtures';

const advisory = (options: Parameters<typeof osvRecord>[0]) =>
  parseAdvisory(osvRecord(options)) as OsvAdvisory;

describe('cvssBaseScore', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 9.1],
    ['CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:N', 8.2],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:L/A:N', 8.5],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N', 7.1],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N', 5.4],
    ['CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N', 4.4],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3],
    ['(AV:N/AC:L/Au:N/C:C/I:C/A:C)', 10],
  ])('scores %s as %s (FIRST calculators)', (vector, score) => {
    expect(cvssBaseScore(vector)).toBe(score);
  });

  it('does not guess at CVSS v4 or unreadable vectors', () => {
    expect(cvssBaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeNull();
    expect(cvssBaseScore('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeNull();
    expect(cvssBaseScore('HIGH')).toBeNull();
  });

  it('rates scores on the CVSS v3 scale', () => {
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map(scoreSeverity)).toEqual([
      'CRITICAL',
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
      'NONE',
    ]);
  });
});

describe('advisorySeverity', () => {
  it("reads GitHub's MODERATE as MEDIUM and takes the highest of stated severity and CVSS score", () => {
    const base = { id: 'GHSA-1', summary: 's', ecosystem: 'PyPI' as const, name: 'x' };
    expect(advisorySeverity(advisory({ ...base, severity: 'MODERATE' }))).toBe('MEDIUM');
    expect(
      advisorySeverity(
        advisory({ ...base, severity: 'MODERATE', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
      ),
    ).toBe('CRITICAL');
    expect(advisorySeverity(advisory(base))).toBeNull();
  });

  it('reads OSS-Fuzz style ecosystem_specific severity of an affected package', () => {
    const record = parseAdvisory({
      id: 'OSV-2020-744',
      modified: '2022-04-13T03:04:39.780694Z',
      affected: [
        { package: { name: 'mruby', ecosystem: 'OSS-Fuzz' }, ecosystem_specific: { severity: 'HIGH' } },
      ],
    }) as OsvAdvisory;
    expect(advisorySeverity(record)).toBe('HIGH');
  });
});

describe('firstFixed', () => {
  const record = parseAdvisory({
    id: 'GHSA-multi',
    modified: '2024-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Django' },
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.2.25' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '4.0' }, { fixed: '4.2.11' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '5.0' }, { fixed: '5.0.3' }] },
        ],
      },
      {
        package: { ecosystem: 'PyPI', name: 'other' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '4.1' }] }],
      },
    ],
  }) as OsvAdvisory;

  it("picks the lowest fix above the pinned version, among the package's own ranges (names PEP 503-normalised)", () => {
    expect(firstFixed(record, 'PyPI', 'django', '4.2.1')).toBe('4.2.11');
    expect(firstFixed(record, 'PyPI', 'django', '3.2')).toBe('3.2.25');
    expect(firstFixed(record, 'PyPI', 'django', '5.0.3')).toBeNull();
    expect(firstFixed(record, 'npm', 'django', '4.2.1')).toBeNull();
  });
});

describe('compareEcosystemVersions', () => {
  it('orders npm versions by SemVer precedence and PyPI versions by PEP 440', () => {
    const npm = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let k = 1; k < npm.length; k++)
      expect(compareEcosystemVersions('npm', npm[k - 1]!, npm[k]!)).toBe(-1);
    expect(compareEcosystemVersions('npm', '4.17.21', '4.17.3')).toBe(1);
    expect(compareEcosystemVersions('npm', 'latest', '1.0.0')).toBeNull();
    expect(compareEcosystemVersions('PyPI', '2.31', '2.31.0')).toBe(0);
    expect(compareEcosystemVersions('PyPI', '1.0rc1', '1.0')).toBe(-1);
  });
});

describe('summarizeVulnerabilities', () => {
  it('merges aliases transitively and sorts GitHub ids first', () => {
    const records = new Map<string, OsvAdvisory | null>([
      [
        'PYSEC-1',
        advisory({ id: 'PYSEC-1', aliases: ['CVE-1'], summary: 's', ecosystem: 'PyPI', name: 'x' }),
      ],
      [
        'GHSA-b',
        advisory({ id: 'GHSA-b', aliases: ['CVE-1', 'PYSEC-1'], summary: 's', ecosystem: 'PyPI', name: 'x' }),
      ],
      ['OSV-9', null],
    ]);
    expect(
      summarizeVulnerabilities(records, 'PyPI', 'x', '1.0').map((s) => [s.ids, s.detailsUnknown]),
    ).toEqual([
      [['GHSA-b', 'PYSEC-1'], false],
      [['OSV-9'], true],
    ]);
  });
});
