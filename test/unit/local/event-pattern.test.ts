import { describe, expect, it } from '@jest/globals';
import {
  type EventBridgeEnvelope,
  type EventPattern,
  EventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '@shared/adapters/local/event-pattern';

function envelope(detail: unknown, overrides: Partial<EventBridgeEnvelope> = {}): EventBridgeEnvelope {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'Backtest Finished',
    source: 'flywheel.backtest',
    account: 'local',
    time: '2025-01-06T12:00:00Z',
    region: 'local',
    resources: [],
    detail,
    ...overrides,
  };
}

/** Which of the details a pattern matches, so each case reads as one table. */
function matchingDetails(pattern: EventPattern, details: readonly unknown[]): unknown[] {
  return details.filter((detail) => matchesEventPattern(pattern, envelope(detail)));
}

function validationError(pattern: unknown): EventPatternError {
  try {
    validateEventPattern(pattern);
  } catch (error) {
    if (error instanceof EventPatternError) return error;
    throw error;
  }
  throw new Error('expected the pattern to be rejected');
}

describe('matchesEventPattern: fields and values', () => {
  it('matches top-level fields, all of them (AND)', () => {
    // Prepare
    const pattern: EventPattern = { source: ['flywheel.backtest'], 'detail-type': ['Backtest Finished'] };

    // Act
    const sameSourceAndType = matchesEventPattern(pattern, envelope({}));
    const otherType = matchesEventPattern(pattern, envelope({}, { 'detail-type': 'Backtest Started' }));
    const otherSource = matchesEventPattern(pattern, envelope({}, { source: 'flywheel.trading' }));

    // Assess
    expect(sameSourceAndType).toBe(true);
    expect(otherType).toBe(false);
    expect(otherSource).toBe(false);
  });

  it('treats the values listed for a field as alternatives (OR)', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: ['running', 'pending'] } };

    // Act
    const matched = matchingDetails(pattern, [
      { state: 'running' },
      { state: 'pending' },
      { state: 'stopped' },
    ]);

    // Assess
    expect(matched).toEqual([{ state: 'running' }, { state: 'pending' }]);
  });

  it('matches nested detail fields at the same nesting only', () => {
    // Prepare
    const pattern: EventPattern = { detail: { trigger: { risk: [8] } } };

    // Act
    const matched = matchingDetails(pattern, [
      { trigger: { risk: 8 } },
      { trigger: { risk: 9 } },
      { risk: 8 },
    ]);

    // Assess
    expect(matched).toEqual([{ trigger: { risk: 8 } }]);
  });

  it('matches numbers, booleans and null by type as well as value', () => {
    // Prepare
    const pattern: EventPattern = { detail: { value: [80, true, null] } };

    // Act
    const matched = matchingDetails(pattern, [
      { value: 80 },
      { value: '80' },
      { value: true },
      { value: 'true' },
      { value: null },
      { value: '' },
      {},
    ]);

    // Assess
    expect(matched).toEqual([{ value: 80 }, { value: true }, { value: null }]);
  });

  it('does not treat an empty string and null as the same', () => {
    // Prepare
    const pattern: EventPattern = { detail: { eventVersion: [''] } };

    // Act
    const matched = matchingDetails(pattern, [{ eventVersion: '' }, { eventVersion: null }]);

    // Assess
    expect(matched).toEqual([{ eventVersion: '' }]);
  });

  it('compares strings exactly, case included', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: ['running'] } };

    // Act
    const matched = matchingDetails(pattern, [
      { state: 'running' },
      { state: 'Running' },
      { state: 'running ' },
    ]);

    // Assess
    expect(matched).toEqual([{ state: 'running' }]);
  });

  it('matches an event array when any element matches', () => {
    // Prepare
    const pattern: EventPattern = { detail: { tags: ['Insider'] } };

    // Act
    const matched = matchingDetails(pattern, [
      { tags: ['Custom_Alert', 'Insider'] },
      { tags: ['Custom_Alert'] },
      { tags: [] },
    ]);

    // Assess
    expect(matched).toEqual([{ tags: ['Custom_Alert', 'Insider'] }]);
  });

  it('matches the top-level resources array by intersection', () => {
    // Prepare
    const pattern: EventPattern = {
      resources: ['arn:local:strategy/sma-cross', 'arn:local:strategy/ema-cross'],
    };

    // Act
    const overlapping = matchesEventPattern(
      pattern,
      envelope({}, { resources: ['arn:local:run/7', 'arn:local:strategy/ema-cross'] }),
    );
    const disjoint = matchesEventPattern(pattern, envelope({}, { resources: ['arn:local:run/7'] }));

    // Assess
    expect(overlapping).toBe(true);
    expect(disjoint).toBe(false);
  });

  it('matches fields inside an array of objects within one element at a time', () => {
    // Prepare
    const pattern: EventPattern = { detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } };
    const employees = [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
    ];
    const mixed = [
      { firstName: 'Anna', lastName: 'Doe' },
      { firstName: 'John', lastName: 'Smith' },
    ];

    // Act
    const matched = matchingDetails(pattern, [{ employees }, { employees: mixed }]);

    // Assess
    expect(matched).toEqual([{ employees }]);
  });

  it('does not match when a required field is missing or holds an object', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: ['running'] } };

    // Act
    const matched = matchingDetails(pattern, [{}, { state: { name: 'running' } }, { other: 'running' }]);

    // Assess
    expect(matched).toEqual([]);
  });
});

describe('matchesEventPattern: string filters', () => {
  it('prefix matches the start of string values only', () => {
    // Prepare
    const pattern: EventPattern = { time: [{ prefix: '2025-01-06' }] };

    // Act
    const sameDay = matchesEventPattern(pattern, envelope({}));
    const otherDay = matchesEventPattern(pattern, envelope({}, { time: '2025-01-07T12:00:00Z' }));

    // Assess
    expect(sameDay).toBe(true);
    expect(otherDay).toBe(false);
  });

  it('prefix with equals-ignore-case ignores the case of the start', () => {
    // Prepare
    const pattern: EventPattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };

    // Act
    const matched = matchingDetails(pattern, [
      { service: 'eventbridge' },
      { service: 'EVENTBUS' },
      { service: 'sqs' },
    ]);

    // Assess
    expect(matched).toEqual([{ service: 'eventbridge' }, { service: 'EVENTBUS' }]);
  });

  it('suffix matches the end of string values, and ignores case on request', () => {
    // Prepare
    const exact: EventPattern = { detail: { file: [{ suffix: '.png' }] } };
    const anyCase: EventPattern = { detail: { file: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    const details = [{ file: 'chart.png' }, { file: 'CHART.PNG' }, { file: 'chart.csv' }, { file: 404 }];

    // Act
    const exactMatches = matchingDetails(exact, details);
    const anyCaseMatches = matchingDetails(anyCase, details);

    // Assess
    expect(exactMatches).toEqual([{ file: 'chart.png' }]);
    expect(anyCaseMatches).toEqual([{ file: 'chart.png' }, { file: 'CHART.PNG' }]);
  });

  it('equals-ignore-case matches whole strings in any case', () => {
    // Prepare
    const pattern: EventPattern = { source: [{ 'equals-ignore-case': 'FLYWHEEL.Backtest' }] };

    // Act
    const sameLetters = matchesEventPattern(pattern, envelope({}));
    const longer = matchesEventPattern(pattern, envelope({}, { source: 'flywheel.backtest.v2' }));

    // Assess
    expect(sameLetters).toBe(true);
    expect(longer).toBe(false);
  });

  it('wildcard * matches any run of characters, including none', () => {
    // Prepare
    const pattern: EventPattern = { detail: { key: [{ wildcard: 'dir/*.png' }] } };

    // Act
    const matched = matchingDetails(pattern, [
      { key: 'dir/chart.png' },
      { key: 'dir/.png' },
      { key: 'dir/sub/chart.png' },
      { key: 'other/chart.png' },
      { key: 'dir/chart.png.bak' },
    ]);

    // Assess
    expect(matched).toEqual([{ key: 'dir/chart.png' }, { key: 'dir/.png' }, { key: 'dir/sub/chart.png' }]);
  });

  it('wildcard treats \\* as a literal asterisk and \\\\ as a backslash', () => {
    // Prepare
    const pattern: EventPattern = { detail: { note: [{ wildcard: 'a\\*b\\\\c*' }] } };

    // Act
    const matched = matchingDetails(pattern, [{ note: 'a*b\\c-rest' }, { note: 'aXb\\c' }]);

    // Assess
    expect(matched).toEqual([{ note: 'a*b\\c-rest' }]);
  });

  it('cidr matches IP addresses inside the block', () => {
    // Prepare
    const pattern: EventPattern = { detail: { sourceIp: [{ cidr: '10.0.0.0/24' }] } };

    // Act
    const matched = matchingDetails(pattern, [
      { sourceIp: '10.0.0.33' },
      { sourceIp: '10.0.1.1' },
      { sourceIp: 'not-an-ip' },
    ]);

    // Assess
    expect(matched).toEqual([{ sourceIp: '10.0.0.33' }]);
  });
});

describe('matchesEventPattern: anything-but', () => {
  it('excludes a single string', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };

    // Act
    const matched = matchingDetails(pattern, [{ state: 'running' }, { state: 'initializing' }, {}]);

    // Assess
    expect(matched).toEqual([{ state: 'running' }]);
  });

  it('excludes a single number', () => {
    // Prepare
    const pattern: EventPattern = { detail: { limit: [{ 'anything-but': 123 }] } };

    // Act
    const matched = matchingDetails(pattern, [{ limit: 124 }, { limit: 123 }]);

    // Assess
    expect(matched).toEqual([{ limit: 124 }]);
  });

  it('excludes every value of a list', () => {
    // Prepare
    const strings: EventPattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    const numbers: EventPattern = { detail: { limit: [{ 'anything-but': [100, 200, 300] }] } };

    // Act
    const stringMatches = matchingDetails(strings, [
      { state: 'running' },
      { state: 'stopped' },
      { state: 'overloaded' },
    ]);
    const numberMatches = matchingDetails(numbers, [{ limit: 101 }, { limit: 200 }]);

    // Assess
    expect(stringMatches).toEqual([{ state: 'running' }]);
    expect(numberMatches).toEqual([{ limit: 101 }]);
  });

  it('matches an event array that holds any value outside the list', () => {
    // Prepare
    const pattern: EventPattern = { detail: { price: [{ 'anything-but': [100, 500] }] } };

    // Act
    const matched = matchingDetails(pattern, [{ price: [100, 50] }, { price: [100] }]);

    // Assess
    expect(matched).toEqual([{ price: [100, 50] }]);
  });

  it('excludes by prefix and by suffix', () => {
    // Prepare
    const byPrefix: EventPattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    const bySuffix: EventPattern = { detail: { file: [{ 'anything-but': { suffix: '.png' } }] } };

    // Act
    const prefixMatches = matchingDetails(byPrefix, [{ state: 'initializing' }, { state: 'running' }]);
    const suffixMatches = matchingDetails(bySuffix, [{ file: 'chart.png' }, { file: 'chart.csv' }]);

    // Assess
    expect(prefixMatches).toEqual([{ state: 'running' }]);
    expect(suffixMatches).toEqual([{ file: 'chart.csv' }]);
  });

  it('excludes regardless of case, and by wildcard', () => {
    // Prepare
    const ignoringCase: EventPattern = {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'failed'] } }] },
    };
    const byWildcard: EventPattern = { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };

    // Act
    const caseMatches = matchingDetails(ignoringCase, [
      { state: 'STOPPED' },
      { state: 'Failed' },
      { state: 'running' },
    ]);
    const wildcardMatches = matchingDetails(byWildcard, [
      { path: '/usr/lib/tool' },
      { path: '/usr/bin/tool' },
    ]);

    // Assess
    expect(caseMatches).toEqual([{ state: 'running' }]);
    expect(wildcardMatches).toEqual([{ path: '/usr/bin/tool' }]);
  });
});

describe('matchesEventPattern: numeric', () => {
  it('matches a range with an open lower and a closed upper bound', () => {
    // Prepare
    const pattern: EventPattern = { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } };

    // Act
    const matched = matchingDetails(pattern, [
      { count: 0 },
      { count: 0.5 },
      { count: 5 },
      { count: 5.01 },
      { count: '3' },
    ]);

    // Assess
    expect(matched).toEqual([{ count: 0.5 }, { count: 5 }]);
  });

  it('matches equality and one-sided bounds', () => {
    // Prepare
    const equal: EventPattern = { detail: { limit: [{ numeric: ['=', 3.018e2] }] } };
    const below: EventPattern = { detail: { limit: [{ numeric: ['<', 10] }] } };
    const atLeast: EventPattern = { detail: { limit: [{ numeric: ['>=', 10] }] } };
    const details = [{ limit: 9 }, { limit: 10 }, { limit: 301.8 }];

    // Act
    const equalMatches = matchingDetails(equal, details);
    const belowMatches = matchingDetails(below, details);
    const atLeastMatches = matchingDetails(atLeast, details);

    // Assess
    expect(equalMatches).toEqual([{ limit: 301.8 }]);
    expect(belowMatches).toEqual([{ limit: 9 }]);
    expect(atLeastMatches).toEqual([{ limit: 10 }, { limit: 301.8 }]);
  });
});

describe('matchesEventPattern: exists', () => {
  it('exists: true matches a field holding a value, including null', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: [{ exists: true }] } };

    // Act
    const matched = matchingDetails(pattern, [{ state: 'pending' }, { state: null }, {}, { other: 1 }]);

    // Assess
    expect(matched).toEqual([{ state: 'pending' }, { state: null }]);
  });

  it('exists: false matches a missing field, and a field that is an object (not a leaf)', () => {
    // Prepare
    const pattern: EventPattern = { detail: { count: [{ exists: false }] } };

    // Act
    const matched = matchingDetails(pattern, [{ state: 'running' }, { count: { c1: 100 } }, { count: 3 }]);

    // Assess
    expect(matched).toEqual([{ state: 'running' }, { count: { c1: 100 } }]);
  });

  it('exists: false on a nested field matches when the parent object is absent', () => {
    // Prepare
    const pattern: EventPattern = { detail: { error: { code: [{ exists: false }] } } };

    // Act
    const matched = matchingDetails(pattern, [{}, { error: { message: 'x' } }, { error: { code: 'E1' } }]);

    // Assess
    expect(matched).toEqual([{}, { error: { message: 'x' } }]);
  });
});

describe('matchesEventPattern: $or', () => {
  it('matches when any branch matches, alongside the other fields', () => {
    // Prepare
    const pattern: EventPattern = {
      source: ['flywheel.backtest'],
      detail: { $or: [{ state: ['failed'] }, { drawdown: [{ numeric: ['>', 0.2] }] }] },
    };

    // Act
    const matched = matchingDetails(pattern, [
      { state: 'failed', drawdown: 0.1 },
      { state: 'done', drawdown: 0.3 },
      { state: 'done', drawdown: 0.1 },
    ]);
    const otherSource = matchesEventPattern(
      pattern,
      envelope({ state: 'failed' }, { source: 'flywheel.trading' }),
    );

    // Assess
    expect(matched).toEqual([
      { state: 'failed', drawdown: 0.1 },
      { state: 'done', drawdown: 0.3 },
    ]);
    expect(otherSource).toBe(false);
  });

  it('combines branches across levels, with AND inside a branch', () => {
    // Prepare
    const pattern: EventPattern = {
      $or: [
        { 'detail-type': ['Trade Anomaly'] },
        { 'detail-type': ['Backtest Finished'], detail: { champion: [true] } },
      ],
    };

    // Act
    const anomaly = matchesEventPattern(pattern, envelope({}, { 'detail-type': 'Trade Anomaly' }));
    const championBacktest = matchesEventPattern(pattern, envelope({ champion: true }));
    const ordinaryBacktest = matchesEventPattern(pattern, envelope({ champion: false }));

    // Assess
    expect(anomaly).toBe(true);
    expect(championBacktest).toBe(true);
    expect(ordinaryBacktest).toBe(false);
  });
});

describe('validateEventPattern', () => {
  it('returns a valid pattern unchanged', () => {
    // Prepare
    const pattern = { source: ['flywheel.backtest'], detail: { count: [{ numeric: ['>=', 1] }] } };

    // Act
    const validated = validateEventPattern(pattern);

    // Assess
    expect(validated).toBe(pattern);
  });

  it.each([
    ['a pattern that is not an object', ['source'], '(pattern)', /expected an object/],
    ['an empty pattern', {}, '(pattern)', /empty objects are not allowed/],
    [
      'a bare value instead of a list',
      { source: 'flywheel.backtest' },
      'source',
      /expected a list of values/,
    ],
    ['an empty list', { detail: { state: [] } }, 'detail.state', /empty lists are not allowed/],
    ['an empty nested object', { detail: {} }, 'detail', /empty objects are not allowed/],
    [
      'a list inside the value list',
      { detail: { state: [['a']] } },
      'detail.state[0]',
      /expected a string, number/,
    ],
    [
      'an unknown filter',
      { detail: { state: [{ contains: 'run' }] } },
      'detail.state[0].contains',
      /unknown filter "contains"/,
    ],
    [
      'two keys in one filter',
      { detail: { state: [{ prefix: 'a', suffix: 'z' }] } },
      'detail.state[0]',
      /exactly one key/,
    ],
    [
      'a numeric prefix',
      { detail: { state: [{ prefix: 5 }] } },
      'detail.state[0].prefix',
      /expected a string/,
    ],
    [
      'an unknown numeric operator',
      { detail: { n: [{ numeric: ['!=', 1] }] } },
      'detail.n[0].numeric[0]',
      /unknown operator/,
    ],
    [
      'a numeric bound that is a string',
      { detail: { n: [{ numeric: ['>', '1'] }] } },
      'detail.n[0].numeric[1]',
      /expected a number/,
    ],
    [
      'an upper bound first',
      { detail: { n: [{ numeric: ['<', 5, '>', 1] }] } },
      'detail.n[0].numeric',
      /must come last/,
    ],
    [
      'an empty numeric range',
      { detail: { n: [{ numeric: ['>', 5, '<', 1] }] } },
      'detail.n[0].numeric',
      /matches no number/,
    ],
    [
      'exists that is not a boolean',
      { detail: { n: [{ exists: 'yes' }] } },
      'detail.n[0].exists',
      /true or false/,
    ],
    [
      'mixed anything-but list',
      { detail: { n: [{ 'anything-but': ['a', 1] }] } },
      'detail.n[0].anything-but',
      /only strings or only numbers/,
    ],
    [
      'anything-but null',
      { detail: { n: [{ 'anything-but': null }] } },
      'detail.n[0].anything-but',
      /expected a string, a number/,
    ],
    [
      'anything-but empty prefix',
      { detail: { n: [{ 'anything-but': { prefix: '' } }] } },
      'detail.n[0].anything-but.prefix',
      /empty prefix/,
    ],
    [
      'consecutive wildcards',
      { detail: { key: [{ wildcard: 'a**b' }] } },
      'detail.key[0].wildcard',
      /consecutive wildcard/,
    ],
    [
      'a bad escape in a wildcard',
      { detail: { key: [{ wildcard: 'a\\b' }] } },
      'detail.key[0].wildcard',
      /may only escape/,
    ],
    [
      'a bad CIDR block',
      { detail: { ip: [{ cidr: '10.0.0.0/33' }] } },
      'detail.ip[0].cidr',
      /not an IPv4 or IPv6 CIDR/,
    ],
    ['$or with one branch', { $or: [{ source: ['a'] }] }, '$or', /at least two objects/],
    ['$or as an object', { detail: { $or: { state: ['a'] } } }, 'detail.$or', /at least two objects/],
    [
      'a filter keyword as a field inside $or',
      { $or: [{ prefix: ['a'] }, { source: ['b'] }] },
      '$or[0].prefix',
      /filter keyword/,
    ],
    [
      'a bad value deep inside $or',
      { $or: [{ source: ['a'] }, { detail: { n: [{ numeric: [] }] } }] },
      '$or[1].detail.n[0].numeric[0]',
      /unknown operator/,
    ],
  ])('rejects %s, naming its path', (_case, pattern, path, problem) => {
    // Act
    const error = validationError(pattern);

    // Assess
    expect(error.path).toBe(path);
    expect(error.message).toContain(`at ${path}:`);
    expect(error.message).toMatch(problem);
  });

  it('makes matchesEventPattern refuse an invalid pattern too', () => {
    // Prepare
    const invalid = { detail: { state: [] } } as EventPattern;

    // Act
    const match = () => matchesEventPattern(invalid, envelope({ state: 'running' }));

    // Assess
    expect(match).toThrow(EventPatternError);
  });
});
