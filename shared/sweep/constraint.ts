import { compileExpression } from 'filtrex';

/** A sweep constraint that cannot be compiled or evaluated; the message quotes the text and says how to fix it. */
export class ConstraintError extends Error {
  override readonly name = 'ConstraintError';
}

/** One parameter combination as a constraint sees it: values by parameter name. */
export type ConstraintValues = Readonly<Record<string, number | boolean>>;

/** A compiled constraint: true when a parameter combination may be swept. */
export type ConstraintPredicate = (values: ConstraintValues) => boolean;

type TokenKind =
  | 'number'
  | 'parameter'
  | 'literal'
  | 'function'
  | 'keyword'
  | 'relation'
  | 'arithmetic'
  | 'open'
  | 'close'
  | 'comma';

interface Token {
  readonly kind: TokenKind;
  /** The token as written in the constraint. */
  readonly text: string;
  /** Zero-based offset of the token in the constraint. */
  readonly at: number;
  /** The token as handed to filtrex. */
  readonly filtrex: string;
}

/** Operators in the order they are tried (longest first), with their filtrex spelling. */
const OPERATORS: readonly (readonly [text: string, kind: TokenKind, filtrex: string])[] = [
  ['&&', 'keyword', 'and'],
  ['||', 'keyword', 'or'],
  ['==', 'relation', '=='],
  ['!=', 'relation', '!='],
  ['<=', 'relation', '<='],
  ['>=', 'relation', '>='],
  ['<', 'relation', '<'],
  ['>', 'relation', '>'],
  ['!', 'keyword', 'not'],
  ['+', 'arithmetic', '+'],
  ['-', 'arithmetic', '-'],
  ['*', 'arithmetic', '*'],
  ['/', 'arithmetic', '/'],
  ['^', 'arithmetic', '^'],
  ['(', 'open', '('],
  [')', 'close', ')'],
  [',', 'comma', ','],
];

/** Characters filtrex reads differently from what a user means, with the fix. */
const MISREAD_CHARACTERS: Readonly<Record<string, string>> = {
  '=': 'compare with == (or !=, <, <=, >, >=)',
  '&': 'join conditions with && or and',
  '|': 'join conditions with || or or',
  '%': 'write the remainder as mod, e.g. "fast mod 5 == 0"',
  '?': 'write a choice as "if … then … else …"',
  ':': 'write a choice as "if … then … else …"',
  '~': 'regular expressions match text, and parameters are numbers or booleans',
  '"': 'text in double quotes cannot equal a parameter, which is a number or a boolean',
};

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'if', 'then', 'else']);
const FUNCTIONS = ['abs', 'ceil', 'floor', 'log', 'log2', 'log10', 'max', 'min', 'round', 'sqrt'];
const LITERALS = { true: true, false: false };

const WHITESPACE = /\s+/y;
const NAME = /[A-Za-z$_][.A-Za-z0-9$_]*/y;
const QUOTED_NAME = /'(?:\\'|\\\\|[^'\\])*'/y;
const NUMBER_LIKE = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function quoteName(name: string): string {
  return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function exampleCondition(paramNames: readonly string[]): string {
  const [first, second] = paramNames;
  if (first !== undefined && second !== undefined) return `${first} < ${second}`;
  return first !== undefined ? `${first} > 1` : 'a < b';
}

class ConstraintScanner {
  readonly tokens: Token[] = [];
  readonly unknownNames: string[] = [];
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly paramNames: readonly string[],
  ) {}

  scan(): Token[] {
    while (this.at < this.text.length) {
      const space = matchAt(WHITESPACE, this.text, this.at);
      if (space) {
        this.at += space.length;
        continue;
      }
      this.scanToken();
    }
    if (this.unknownNames.length > 0) throw this.unknownNamesError();
    return this.tokens;
  }

  private scanToken(): void {
    const { text, at } = this;
    const operator = OPERATORS.find(([symbol]) => text.startsWith(symbol, at));
    if (operator) {
      this.push(operator[1], operator[0], operator[2]);
      return;
    }
    const character = text[at]!;
    const misread = MISREAD_CHARACTERS[character];
    if (misread) throw this.error(`cannot use "${character}" (character ${at + 1}): ${misread}`);
    const number = matchAt(NUMBER_LIKE, text, at);
    if (number) {
      if (!PLAIN_NUMBER.test(number)) {
        throw this.error(
          `writes the number "${number}" (character ${at + 1}) in a form filtrex does not read: ` +
            'use digits with an optional decimal part, e.g. 0.5 or 1000',
        );
      }
      this.push('number', number, number);
      return;
    }
    const name = matchAt(NAME, text, at);
    if (name) {
      this.pushName(name, name);
      return;
    }
    const quoted = matchAt(QUOTED_NAME, text, at);
    if (quoted) {
      this.pushName(quoted, quoted.slice(1, -1).replace(/\\(['\\])/g, '$1'));
      return;
    }
    if (character === "'") throw this.error(`opens a quote at character ${at + 1} that is never closed`);
    throw this.error(`cannot use "${character}" (character ${at + 1}); ${this.grammarHint()}`);
  }

  /** Pushes a name as a keyword, literal, function or parameter, or remembers it as unknown. */
  private pushName(written: string, name: string): void {
    const kind = this.nameKind(written, name);
    if (kind === 'parameter') this.push(kind, written, quoteName(name));
    else if (kind !== undefined) this.push(kind, written, name);
    else {
      if (!this.unknownNames.includes(name)) this.unknownNames.push(name);
      this.at += written.length;
    }
  }

  private nameKind(written: string, name: string): TokenKind | undefined {
    const bare = !written.startsWith("'");
    const callsFunction = this.text
      .slice(this.at + written.length)
      .trimStart()
      .startsWith('(');
    if (bare && KEYWORDS.has(name)) return 'keyword';
    if (bare && name === 'mod') return 'arithmetic';
    if (bare && name === 'of') {
      throw this.error('uses "of", which reads a property of an object; parameters are numbers or booleans');
    }
    if (bare && Object.hasOwn(LITERALS, name)) return 'literal';
    if (callsFunction) {
      if (bare && FUNCTIONS.includes(name)) return 'function';
      if (this.paramNames.includes(name)) {
        throw this.error(
          `puts a bracket right after the parameter ${name}, as if it were a function; ` +
            `put an operator between them, e.g. "${name} * (…)"`,
        );
      }
      throw this.error(`calls ${name}(), which is not a function; the functions are ${FUNCTIONS.join(', ')}`);
    }
    return this.paramNames.includes(name) ? 'parameter' : undefined;
  }

  private push(kind: TokenKind, text: string, filtrex: string): void {
    this.tokens.push({ kind, text, at: this.at, filtrex });
    this.at += text.length;
  }

  private grammarHint(): string {
    return `write a condition such as "${exampleCondition(this.paramNames)}"`;
  }

  private error(problem: string): ConstraintError {
    return new ConstraintError(`Constraint "${this.text}" ${problem}.`);
  }

  private unknownNamesError(): ConstraintError {
    const names = this.unknownNames.join(' and ');
    const which = this.unknownNames.length === 1 ? 'which is not a parameter' : 'which are not parameters';
    const known = this.paramNames.length > 0 ? this.paramNames.join(', ') : '(none)';
    const lowerCaseHint = this.unknownNames.some((name) => KEYWORDS.has(name.toLowerCase()))
      ? ' (and, or, not are written in lower case)'
      : '';
    return this.error(`uses ${names}, ${which}; the parameters are ${known}${lowerCaseHint}`);
  }
}

function filtrexSource(tokens: readonly Token[]): string {
  // One space between tokens: filtrex's keyword rules swallow the character after "and", "or" and "not",
  // so "not(a)" or "a and(b)" would not parse as written.
  return `${tokens.map((token) => token.filtrex).join(' ')} `;
}

function compileTokens(tokens: readonly Token[]): (data: ConstraintValues) => unknown {
  return compileExpression(filtrexSource(tokens), { constants: LITERALS });
}

function parseFailure(tokens: readonly Token[]): string | undefined {
  try {
    compileTokens(tokens);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Explains a parse error by finding the first token no valid expression can continue with. */
function syntaxError(
  text: string,
  tokens: readonly Token[],
  failure: string,
  example: string,
): ConstraintError {
  const prefix = `Constraint "${text}" is not a valid expression: `;
  for (let end = 1; end <= tokens.length; end++) {
    const prefixFailure = parseFailure(tokens.slice(0, end));
    if (prefixFailure === undefined || prefixFailure.includes("got 'EndOfExpression'")) continue;
    const token = tokens[end - 1]!;
    const previous = tokens[end - 2];
    const place = previous ? `after "${previous.text}"` : 'first';
    return new ConstraintError(
      `${prefix}"${token.text}" (character ${token.at + 1}) cannot come ${place}; ` +
        `write comparisons joined with and/or (&&, ||), e.g. "${example}".`,
    );
  }
  if (failure.includes("got 'EndOfExpression'")) {
    const opened = tokens.filter((token) => token.kind === 'open').length;
    const closed = tokens.filter((token) => token.kind === 'close').length;
    const problem =
      opened > closed
        ? 'it ends before every "(" is closed; add the missing ")"'
        : `it ends too early, after "${tokens.at(-1)?.text}"; complete the condition`;
    return new ConstraintError(`${prefix}${problem}.`);
  }
  return new ConstraintError(`${prefix}${failure.split('\n')[0]}.`);
}

/** The tokens outside any brackets, once brackets around the whole expression are removed. */
function topLevelTokens(tokens: readonly Token[]): Token[] {
  let body = tokens;
  while (body[0]?.kind === 'open' && closingBracket(body) === body.length - 1) body = body.slice(1, -1);
  const top: Token[] = [];
  let depth = 0;
  for (const token of body) {
    if (token.kind === 'close') depth--;
    if (depth === 0) top.push(token);
    if (token.kind === 'open') depth++;
  }
  return top;
}

function closingBracket(tokens: readonly Token[]): number {
  let depth = 0;
  for (const [index, token] of tokens.entries()) {
    if (token.kind === 'open') depth++;
    if (token.kind === 'close' && --depth === 0) return index;
  }
  return -1;
}

/**
 * What the expression's outermost operation gives, by filtrex's precedence (lowest first: if/then/else,
 * or, and, in, comparisons, arithmetic, not): 'number' when it surely is no condition, 'unknown' when only
 * evaluation can tell (a lone parameter may be a boolean one).
 */
function resultKind(tokens: readonly Token[]): 'condition' | 'number' | 'unknown' {
  const top = topLevelTokens(tokens);
  const has = (kind: TokenKind, words?: readonly string[]) =>
    top.some((token) => token.kind === kind && (words === undefined || words.includes(token.filtrex)));
  if (has('keyword', ['if'])) return 'unknown';
  if (has('keyword', ['and', 'or', 'in']) || has('relation')) return 'condition';
  if (has('arithmetic')) return 'number';
  const [first] = top;
  if (first?.kind === 'keyword' || first?.kind === 'literal') return 'condition';
  if (first?.kind === 'number' || first?.kind === 'function') return 'number';
  return 'unknown';
}

function describeValues(values: ConstraintValues): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/**
 * Compiles a sweep constraint, a condition over parameter names such as `fast < slow && slow - fast >= 10`,
 * into a predicate. The language is filtrex's: comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `x in (a, b)`),
 * `and`/`or`/`not` (also written `&&`, `||`, `!`), arithmetic (`+ - * / ^ mod`), `true`/`false`, brackets,
 * `if … then … else …` and the functions abs, ceil, floor, log, log2, log10, max, min, round and sqrt.
 * Throws ConstraintError for a syntax error, a name that is not in `paramNames`, or an expression that gives
 * a number; the predicate throws ConstraintError when an evaluation fails or gives no boolean.
 */
export function compileConstraint(text: string, paramNames: readonly string[]): ConstraintPredicate {
  const example = exampleCondition(paramNames);
  if (text.trim() === '') {
    throw new ConstraintError(
      `The constraint is empty; write a condition such as "${example}", or leave it out.`,
    );
  }
  const tokens = new ConstraintScanner(text, paramNames).scan();
  let evaluate: (data: ConstraintValues) => unknown;
  try {
    evaluate = compileTokens(tokens);
  } catch (error) {
    throw syntaxError(text, tokens, error instanceof Error ? error.message : String(error), example);
  }
  if (resultKind(tokens) === 'number') {
    throw new ConstraintError(
      `Constraint "${text}" gives a number, not true or false; compare it with something, e.g. "${example}".`,
    );
  }
  const notBeforeComparison = tokens.some(
    (token, index) => token.filtrex === 'not' && tokens[index + 1]?.kind !== 'open',
  );
  return (values) => {
    const result = evaluate(values);
    if (result instanceof Error) {
      const hint = notBeforeComparison
        ? ' ("not" applies before comparisons: write "not (a == b)" or "a != b")'
        : '';
      throw new ConstraintError(
        `Constraint "${text}" cannot be evaluated for ${describeValues(values)}: ${result.message}${hint}`,
      );
    }
    if (typeof result !== 'boolean') {
      throw new ConstraintError(
        `Constraint "${text}" gives ${JSON.stringify(result)} for ${describeValues(values)}, not true or false; ` +
          `write a condition such as "${example}".`,
      );
    }
    return result;
  };
}
