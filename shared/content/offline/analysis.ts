/**
 * The source read once for every platform: its sentences (split by sentences.ts) with a TextRank score and what
 * makes each usable out of context, and its vocabulary (keywords, hashtags, cashtags).
 */
import { urlsIn, wordCount } from '../count';
import type { BrandVoice, ContentSource, SourceBlock } from '../model';
import { splitSentences } from '../sentences';
import { bannedWordIn, stripEmoji } from '../voice';
import { type Vocabulary, vocabularyOf } from './keywords';
import { rankSentences } from './rank';

/** A sentence of the source with what the templates need to know about it. */
export interface Sentence {
  /** As the source writes it (emoji removed when the voice says none). */
  readonly text: string;
  /** Position among all sentences, in reading order. */
  readonly index: number;
  readonly blockType: SourceBlock['type'];
  readonly words: number;
  /** TextRank score, scaled so the best sentence is 1. */
  readonly score: number;
  /** Reads well on its own: no "This …"/"But …" opener, no pointer to a figure or the text below. */
  readonly standalone: boolean;
  /** Ends in ., ! or ? (possibly before a closing quote or bracket). */
  readonly terminal: boolean;
  readonly question: boolean;
  readonly hasNumber: boolean;
  /** Fit to be said aloud: no link, no long identifiers, no code-like tokens. */
  readonly speakable: boolean;
}

/** The source read once. */
export interface Analysis {
  /** Every sentence in reading order (including ones the templates will not use). */
  readonly sentences: readonly Sentence[];
  /** The sentences a version may use, best first: whole, of a readable length, without banned words. */
  readonly usable: readonly Sentence[];
  readonly vocabulary: Vocabulary;
  /** Sentences left out because they use a banned word. */
  readonly bannedSentences: number;
}

const TERMINAL = /[.!?…]["'”’)\]]*$/u;
/** Openers that lean on the sentence before, so the sentence reads oddly alone. */
const DEPENDENT_OPENER =
  /^(?:this|that|these|those|it|its|they|their|them|he|she|his|her|here|there|such|thus|hence|so|and|but|or|then|also|however|therefore|instead|meanwhile|otherwise|still|yet|again|likewise|similarly|now|next|finally|first|second|third|another|both|above|below|as a result|for that reason|in addition|in this case|on the other hand|to do this|for example|for instance|the first|the second|the last|the other|the latter|the former)\b/i;
/** Pointers to the page around the sentence: figures, code and text above or below. */
const PAGE_POINTER =
  /\b(?:below|above|following|as follows|screenshot|figure|diagram|chart|image|snippet|code sample|this section|next section|previous section|here's how|see the)\b/i;
/** "We'll then …", "The filter also …": a step in a sequence the reader has not seen. */
const CONTINUING =
  /^(?:\S+\s+){1,2}(?:then|also|again|next)\b|\b(?:to|from|into|with|of|on|in) (?:it|them|this|these|those)\b(?! \p{L})/iu;
/** "his boss …": a person the sentence does not name. */
const UNNAMED_PERSON = /\b(?:he|his|him|she|her|hers|himself|herself)\b/i;
const ABBREVIATION_END = /\b(?:e\.g|i\.e|etc|vs|cf)\.$/i;

/** Lower-case content words of a sentence, as lemmas: what TextRank compares. */
function bagOf(text: string, vocabulary: Vocabulary): Set<string> {
  const bag = new Set<string>();
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []) {
    const word = raw.replace(/['’]s$/, '');
    if (word.length < 2 || vocabulary.stopWords.has(word)) continue;
    bag.add(vocabulary.lemmas.get(word) ?? word);
  }
  return bag;
}

function speakable(text: string): boolean {
  if (urlsIn(text).length > 0 || /https?:\/\//.test(text)) return false;
  // Hashes, ids and code read aloud badly: long tokens mixing letters and digits, or with dots/underscores inside.
  return !/[\p{L}\p{N}]*(?:\p{L}\p{N}|\p{N}\p{L})[\p{L}\p{N}]{6,}|\w[._/\\]\w+[._/\\(]|[{}<>=`|]/u.test(text);
}

/** A pronoun for a person with no name before it in the sentence. */
function namesNobody(text: string): boolean {
  const pronoun = UNNAMED_PERSON.exec(text);
  if (!pronoun) return false;
  return !/\s\p{Lu}\p{Ll}+/u.test(text.slice(0, pronoun.index));
}

/** The source read once for all platforms, with the voice's banned words and emoji policy applied. */
export function analyze(source: ContentSource, voice: BrandVoice): Analysis {
  const vocabulary = vocabularyOf(source);
  const raw: { text: string; blockType: SourceBlock['type'] }[] = [];
  for (const block of source.blocks) {
    if (block.type === 'heading') continue;
    for (const sentence of splitSentences(block.text)) {
      const text = voice.emoji === 'none' ? stripEmoji(sentence) : sentence;
      if (text !== '') raw.push({ text, blockType: block.type });
    }
  }

  const titleBag = bagOf(source.title, vocabulary);
  const bags = raw.map(({ text }) => bagOf(text, vocabulary));
  const boosts = bags.map((bag) => {
    if (titleBag.size === 0 || bag.size === 0) return 0;
    let shared = 0;
    for (const word of bag) if (titleBag.has(word)) shared++;
    return (0.5 * shared) / titleBag.size;
  });
  const scores = rankSentences(bags, { boosts });
  const best = Math.max(...scores, Number.MIN_VALUE);

  const sentences: Sentence[] = raw.map(({ text, blockType }, index) => ({
    text,
    index,
    blockType,
    words: wordCount(text),
    score: scores[index]! / best,
    standalone:
      !DEPENDENT_OPENER.test(text) &&
      !PAGE_POINTER.test(text) &&
      !CONTINUING.test(text) &&
      /^["'“‘(]?[\p{Lu}\p{N}$]/u.test(text) &&
      !namesNobody(text),
    terminal: TERMINAL.test(text) && !ABBREVIATION_END.test(text),
    question: /\?["'”’)\]]*$/.test(text),
    hasNumber: /\d/.test(text),
    speakable: speakable(text),
  }));

  let bannedSentences = 0;
  const usable = sentences
    .filter((sentence) => {
      if (!sentence.terminal || sentence.words < 5 || sentence.words > 48) return false;
      if (bannedWordIn(sentence.text, voice.bannedWords) !== null) {
        bannedSentences++;
        return false;
      }
      return true;
    })
    .sort((a, b) => b.score - a.score || a.index - b.index);

  return { sentences, usable, vocabulary, bannedSentences };
}
