/**
 * Each platform's template: which parts it carries (recipe) and how they are laid out (render). The tone's
 * words come from tones.ts; the sentences from compose.ts. Every layout keeps sentences whole.
 */
import type { PlatformId } from '../model';
import type { Plan, Recipe } from './compose';
import type { ToneStyle } from './tones';

/** What a renderer needs besides the plan. */
export interface Layout {
  readonly style: ToneStyle;
  readonly title: string;
  readonly link: string | null;
  /** The emoji for a role ("💡 "), or '' when the voice allows none there. */
  readonly emoji: (role: 'hook' | 'point' | 'link') => string;
}

/** A platform's recipe and renderer. */
export interface PlatformTemplate {
  readonly recipe: (style: ToneStyle) => Recipe;
  readonly render: (plan: Plan, layout: Layout) => string;
}

const paragraphs = (...parts: (string | null | false | undefined)[]) =>
  parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n\n');

const hookLine = (plan: Plan, layout: Layout) =>
  plan.hook ? `${layout.emoji('hook')}${plan.hook.text}` : null;

const sentencesOf = (plan: Plan, key: 'body' | 'points') =>
  plan[key].length > 0 ? plan[key].map((s) => s.text).join(' ') : null;

const linkLine = (layout: Layout) =>
  layout.link ? `${layout.emoji('link')}${layout.style.readMore} ${layout.link}` : null;

const tagLine = (plan: Plan) => (plan.tags.length > 0 ? plan.tags.join(' ') : null);

const takeawayLine = (plan: Plan, layout: Layout) =>
  plan.takeaway ? `${layout.style.takeawayLabel} ${plan.takeaway.text}` : null;

function pointList(
  plan: Plan,
  layout: Layout,
  label: string | null,
  bullet = layout.style.bullet,
): string | null {
  if (plan.points.length === 0) return null;
  const items = plan.points.map((point) => `${bullet} ${point.text}`).join('\n');
  return label ? `${label}\n${items}` : items;
}

/** Short posts: a hook and the link, a sentence more and a tag or two where they fit. */
function shortPost(body: number, tags: number, opener = false): PlatformTemplate {
  return {
    recipe: () => ({ opener, body, points: 0, takeaway: false, tags }),
    render: (plan, layout) =>
      paragraphs(
        plan.opener,
        hookLine(plan, layout),
        sentencesOf(plan, 'body'),
        linkLine(layout),
        tagLine(plan),
      ),
  };
}

/** Every platform's template but the X thread, which `thread.ts` builds post by post. */
export const TEMPLATES: Readonly<Record<Exclude<PlatformId, 'x-thread'>, PlatformTemplate>> = {
  x: shortPost(0, 2),
  threads: shortPost(2, 1),
  bluesky: shortPost(1, 2),
  mastodon: shortPost(1, 3, true),
  linkedin: {
    recipe: (style) => ({ opener: true, body: 0, points: style.points, takeaway: true, tags: 5 }),
    render: (plan, layout) =>
      paragraphs(
        plan.opener,
        hookLine(plan, layout),
        pointList(plan, layout, layout.style.pointsLabel),
        takeawayLine(plan, layout),
        linkLine(layout),
        tagLine(plan),
      ),
  },
  instagram: {
    recipe: () => ({ opener: true, body: 3, points: 0, takeaway: true, tags: 5 }),
    render: (plan, layout) =>
      paragraphs(
        plan.opener,
        hookLine(plan, layout),
        sentencesOf(plan, 'body'),
        takeawayLine(plan, layout),
        // Instagram captions do not link: point to the bio instead, and only when there is something to link to.
        layout.link ? `${layout.emoji('link')}${layout.style.linkInBio}` : null,
        tagLine(plan),
      ),
  },
  telegram: {
    recipe: (style) => ({ opener: true, body: 2, points: style.points, takeaway: true, tags: 3 }),
    render: (plan, layout) =>
      paragraphs(
        plan.opener,
        hookLine(plan, layout),
        sentencesOf(plan, 'body'),
        pointList(plan, layout, layout.style.pointsLabel),
        takeawayLine(plan, layout),
        linkLine(layout),
        tagLine(plan),
      ),
  },
  discord: {
    recipe: (style) => ({ opener: false, body: 1, points: style.points, takeaway: true, tags: 0 }),
    render: (plan, layout) =>
      paragraphs(
        layout.title ? `## ${layout.title}` : null,
        hookLine(plan, layout),
        sentencesOf(plan, 'body'),
        pointList(plan, layout, `**${layout.style.pointsLabel}**`, '-'),
        takeawayLine(plan, layout),
        linkLine(layout),
      ),
  },
  newsletter: {
    recipe: (style) => ({ opener: false, body: 3, points: style.points, takeaway: true, tags: 0 }),
    render: (plan, layout) => {
      const summary = [plan.hook, ...plan.body].filter((s) => s !== null).map((s) => s.text);
      return paragraphs(
        layout.title ? `## ${layout.title}` : null,
        summary.length > 0 ? summary.join(' ') : null,
        plan.points.length > 0 ? `### Key points\n\n${pointList(plan, layout, null, '-')}` : null,
        takeawayLine(plan, layout),
        layout.link ? `[Read more](${layout.link})` : null,
      );
    },
  },
  'video-script': {
    recipe: () => ({ opener: false, body: 0, points: 0, takeaway: false, tags: 0, speakable: true }),
    render: (plan, layout) =>
      paragraphs(
        plan.hook ? `Hook: ${plan.hook.text}` : null,
        plan.body.length > 0 ? `Beats:\n${plan.body.map((s) => `- ${s.text}`).join('\n')}` : null,
        `Call to action: ${layout.link ? layout.style.videoCallToAction : layout.style.videoCallToActionWithoutLink}`,
      ),
  },
};
