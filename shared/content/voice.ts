/**
 * The brand voice, applied the same way by both generators: banned words (whole words, any case), the emoji
 * policy and the signature. The offline generator applies it to the sentences it picks; the LLM generator puts
 * `voiceInstructions` in its prompt and runs `applyVoice` on what comes back.
 */
import type { BrandVoice } from './model';
import { splitSentences } from './sentences';

/**
 * One emoji as a reader sees it: a pictograph shown as emoji (or forced to with U+FE0F), a flag, a keycap, with
 * skin-tone modifiers and zero-width-joined parts. Text symbols such as © or ™ without U+FE0F are not emoji.
 */
const EMOJI =
  /(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)(?:\p{Emoji_Modifier}|\uFE0F|\u200D(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F?))*/gu;

/** The emoji in a text, in order. */
export function emojiIn(text: string): string[] {
  return text.match(EMOJI) ?? [];
}

/** Spaces an emoji left behind: doubled inside a line, or at either end of one. */
function tidySpaces(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').trim())
    .join('\n');
}

/** The text without any emoji. */
export function stripEmoji(text: string): string {
  if (emojiIn(text).length === 0) return text;
  return tidySpaces(text.replace(EMOJI, ''));
}

/** The text with its first `most` emoji kept and the rest removed. */
export function limitEmoji(text: string, most: number): string {
  if (emojiIn(text).length <= most) return text;
  let kept = 0;
  return tidySpaces(text.replace(EMOJI, (emoji) => (kept++ < most ? emoji : '')));
}

/** How many emoji a version may carry under a policy (`expressive`: a few, where the tone allows). */
export function emojiAllowance(voice: BrandVoice): number {
  return voice.emoji === 'none' ? 0 : voice.emoji === 'minimal' ? 1 : 4;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for a banned word or phrase as a whole word, in any case ("moon" matches "Moon!" not "mooning"). */
function bannedPattern(word: string): RegExp {
  const spaced = escapeRegExp(word.trim()).replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${spaced}(?![\\p{L}\\p{N}_])`, 'iu');
}

const patterns = new Map<string, RegExp>();

/** The first banned word a text uses (whole word, any case), or null. */
export function bannedWordIn(text: string, bannedWords: readonly string[]): string | null {
  for (const word of bannedWords) {
    if (word.trim() === '') continue;
    let pattern = patterns.get(word);
    if (!pattern) {
      pattern = bannedPattern(word);
      patterns.set(word, pattern);
    }
    if (pattern.test(text)) return word;
  }
  return null;
}

/** The voice as prompt instructions for a language model. */
export function voiceInstructions(voice: BrandVoice): string {
  const lines: string[] = [];
  if (voice.bannedWords.length > 0) {
    lines.push(
      `Never use these words, in any form or case: ${voice.bannedWords.map((w) => `"${w}"`).join(', ')}.`,
    );
  }
  lines.push(
    voice.emoji === 'none'
      ? 'Use no emoji at all.'
      : voice.emoji === 'minimal'
        ? 'Use at most one emoji per version, or none.'
        : 'Use a few emoji where they suit the tone, never more than four per version.',
  );
  if (voice.signature) {
    lines.push(
      `The signature "${voice.signature}" is appended afterwards where it fits: do not write it yourself.`,
    );
  }
  return lines.join('\n');
}

/** A text with the voice applied, and what had to change. */
export interface VoicedText {
  readonly text: string;
  readonly warnings: readonly string[];
}

/** A hashtag line: hashtags and cashtags only. */
const TAG_LINE = /^(?:[#$][\p{L}\p{N}_]+\s*)+$/u;

/** The line without sentences (or, on a hashtag line, tags) using a banned word; reasons go to `warnings`. */
function withoutBannedWords(line: string, bannedWords: readonly string[], warnings: string[]): string {
  if (bannedWordIn(line, bannedWords) === null) return line;
  if (TAG_LINE.test(line.trim())) {
    return line
      .trim()
      .split(/\s+/)
      .filter((tag) => {
        const banned = bannedWordIn(tag.slice(1), bannedWords);
        if (banned) warnings.push(`dropped the tag ${tag}: it uses the banned word "${banned}"`);
        return banned === null;
      })
      .join(' ');
  }
  const marker = /^(\s*(?:[-*•→–]|\d+[.)]|#{1,6})\s+)/.exec(line)?.[1] ?? '';
  const kept = splitSentences(line.slice(marker.length)).filter((sentence) => {
    const banned = bannedWordIn(sentence, bannedWords);
    if (banned) warnings.push(`dropped a sentence using the banned word "${banned}"`);
    return banned === null;
  });
  return kept.length === 0 ? '' : marker + kept.join(' ');
}

/** The text with the signature on a line of its own at the end, if it is not already there. */
export function signed(text: string, signature: string): string {
  return text.trimEnd().endsWith(signature) ? text : `${text.trimEnd()}\n\n${signature}`;
}

/**
 * Post-processing for a generated text: sentences using a banned word are dropped, emoji are limited to the
 * policy, and the signature is appended when `fits` accepts the signed text (otherwise a warning says so).
 */
export function applyVoice(
  text: string,
  voice: BrandVoice,
  fits: (text: string) => boolean = () => true,
): VoicedText {
  const warnings: string[] = [];
  let result = text;
  if (voice.bannedWords.length > 0) {
    result = result
      .split('\n')
      .map((line) => withoutBannedWords(line, voice.bannedWords, warnings))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
  result = limitEmoji(result, emojiAllowance(voice));
  if (voice.signature) {
    const withSignature = signed(result, voice.signature);
    if (fits(withSignature)) result = withSignature;
    else warnings.push('left the signature out: it does not fit within the limit');
  }
  return { text: result, warnings };
}
