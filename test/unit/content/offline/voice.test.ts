import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BRAND_VOICE } from '@shared/content/model';
import { applyVoice, bannedWordIn, emojiIn, stripEmoji, voiceInstructions } from '@shared/content/voice';

describe('the brand voice for generated text', () => {
  it('finds banned words whole, in any case, and not inside other words', () => {
    expect(bannedWordIn('To the MOON!', ['moon'])).toBe('moon');
    expect(bannedWordIn('Mooning is not it.', ['moon'])).toBeNull();
  });

  it('drops the sentences and hashtags using a banned word, keeping the rest of the line', () => {
    const { text, warnings } = applyVoice(
      'Funding rates turned. Prices go to the moon. Watch the spread.\n\n#Moon #Funding',
      { ...DEFAULT_BRAND_VOICE, bannedWords: ['moon'] },
    );
    expect(text).toBe('Funding rates turned. Watch the spread.\n\n#Funding');
    expect(warnings).toHaveLength(2);
  });

  it('keeps one emoji with `minimal` and none with `none`, but leaves © alone', () => {
    const text = '🚀 Funding rates 📈 turned 👍🏽. © Flywheel';
    expect(emojiIn(applyVoice(text, { ...DEFAULT_BRAND_VOICE, emoji: 'minimal' }).text)).toEqual(['🚀']);
    expect(stripEmoji(text)).toBe('Funding rates turned . © Flywheel');
  });

  it('appends the signature only where it fits, and says when it does not', () => {
    const voice = { ...DEFAULT_BRAND_VOICE, signature: '— The desk' };
    expect(applyVoice('Funding turned.', voice).text).toBe('Funding turned.\n\n— The desk');
    const tight = applyVoice('Funding turned.', voice, (text) => text.length <= 20);
    expect(tight.text).toBe('Funding turned.');
    expect(tight.warnings).toEqual(['left the signature out: it does not fit within the limit']);
  });

  it('tells a language model the banned words, the emoji policy and not to write the signature', () => {
    const prompt = voiceInstructions({ bannedWords: ['moon'], signature: '— The desk', emoji: 'none' });
    expect(prompt).toContain('"moon"');
    expect(prompt).toContain('no emoji');
    expect(prompt).toContain('do not write it yourself');
  });
});
