/** The offline extractive generator: no key, no network. */
export { fitsLimit, generateOffline, OfflineGenerator } from './generator';
export { hashtagFor, type Keyword, type Vocabulary, vocabularyOf } from './keywords';
export { byRank, rankSentences } from './rank';
export { TONE_STYLES, type ToneStyle } from './tones';
