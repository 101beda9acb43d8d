import twitterText from 'twitter-text';
import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

/** wink-nlp with its English model, loaded on first use (the model takes ~100 ms to load). */
export function englishNlp(): Nlp {
  nlp ??= winkNLP(model);
  return nlp;
}

/** Where a sentence sits in the text it came from (UTF-16 offsets, end exclusive, surrounding spaces excluded). */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * A text's sentences as offsets, as wink-nlp's English model splits them, with web addresses and pairs held
 * whole: wink splits "example.com" at its dot and does not end a sentence after "https://a.b/c." or
 * "BTC/USDT.", so each is masked with letters of the same length before splitting.
 */
export function sentenceSpans(text: string): SentenceSpan[] {
  if (text.trim() === '') return [];
  let masked = text;
  for (const [start, end] of addressSpans(text)) {
    masked = masked.slice(0, start) + 'x'.repeat(end - start) + masked.slice(end);
  }
  const spans: SentenceSpan[] = [];
  let cursor = 0;
  for (const raw of englishNlp().readDoc(masked).sentences().out()) {
    const sentence = raw.trim();
    if (sentence === '') continue;
    const start = masked.indexOf(sentence, cursor);
    // wink returns substrings of its input; if it ever did not, the rest of the text stays one sentence.
    if (start < 0) break;
    const previous = spans.at(-1);
    // "Node.js" is one word: a split with no space after the dot and a lower-case letter next is no split.
    const glued = previous !== undefined && previous.end === start && /^[\p{Ll}\p{N}]/u.test(sentence);
    if (glued) spans.pop();
    spans.push({ start: glued ? previous.start : start, end: start + sentence.length });
    cursor = start + sentence.length;
  }
  const rest = text.slice(cursor);
  if (rest.trim() !== '') {
    const start = cursor + (rest.length - rest.trimStart().length);
    spans.push({ start, end: cursor + rest.trimEnd().length });
  }
  return spans;
}

/** Web addresses (with or without a scheme; twitter-text knows the top-level domains) and slash-joined words. */
function addressSpans(text: string): [number, number][] {
  const spans: [number, number][] = twitterText
    .extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: true })
    .map(({ indices }) => indices);
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const address = match[0].replace(/[.,;:!?)'"\]]+$/, '');
    spans.push([match.index, match.index + address.length]);
  }
  // wink reads the last letter of "BTC/USDT." or "a/b." as an initial and does not end the sentence there.
  for (const match of text.matchAll(/[\p{L}\p{N}_$-]+(?:\/[\p{L}\p{N}_$-]+)+/gu)) {
    spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}

/** A text's sentences, as wink-nlp's English model splits them (abbreviations such as "Dr." stay inside). */
export function splitSentences(text: string): string[] {
  return sentenceSpans(text).map(({ start, end }) => text.slice(start, end));
}
