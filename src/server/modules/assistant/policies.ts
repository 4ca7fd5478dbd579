import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stems } from './text.ts';

/**
 * The store policies are markdown files beside this module (policies/*.md), split into their `##`
 * sections and searched by word overlap weighted by rarity, so "can I send it back?" finds the
 * returns section without a keyword list per question.
 */

export interface PolicySection {
  topic: string;
  title: string;
  heading: string;
  text: string;
}

interface IndexedSection extends PolicySection {
  /** Words of the title and heading (weight 2), of the text (1), of the topic's synonyms only (0.5). */
  weights: Map<string, number>;
}

// Words that say nothing about which policy is meant.
const IGNORED = new Set(
  stems(
    'policy policies rule rules your our the a an is are was be what how when where which who why do does did can could ' +
      'would should will i my me you we us it its this that of to on in at for with and or any about from by there ' +
      'long much many tell know want need please get have has if then so not no yes as than into out up just ' +
      'take takes use used make',
  ),
);

const POLICY_DIR = join(import.meta.dirname, 'policies');

// Words people use for a topic that the policy text itself may not contain.
const TOPIC_SYNONYMS: Record<string, string> = {
  shipping: 'ship shipping delivery deliver deliveries arrive parcel package send courier post track',
  returns: 'return returns refund money back exchange send back damaged broken break faulty warranty',
  payment: 'pay payment card credit debit paypal charge charged method checkout',
  privacy: 'privacy data personal cookie cookies gdpr delete account information',
  contact: 'contact support help phone call email reach address located location customer service',
};

function loadSections(): IndexedSection[] {
  const sections: IndexedSection[] = [];
  for (const file of readdirSync(POLICY_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const topic = file.replace(/\.md$/, '');
    const markdown = readFileSync(join(POLICY_DIR, file), 'utf8');
    const title = markdown.match(/^# (.+)$/m)?.[1]?.trim() ?? topic;
    for (const part of markdown.split(/^## /m).slice(1)) {
      const [heading, ...body] = part.split('\n');
      const text = body.join(' ').replace(/\s+/g, ' ').trim();
      const weights = new Map<string, number>();
      const weigh = (words: string, weight: number) => {
        for (const w of stems(words)) weights.set(w, Math.max(weights.get(w) ?? 0, weight));
      };
      weigh(TOPIC_SYNONYMS[topic] ?? '', 0.5);
      weigh(text, 1);
      weigh(`${title} ${heading}`, 2);
      sections.push({ topic, title, heading: heading.trim(), text, weights });
    }
  }
  return sections;
}

const SECTIONS = loadSections();
export const POLICY_TOPICS = [...new Set(SECTIONS.map((s) => s.topic))];

function rarity(term: string): number {
  const containing = SECTIONS.filter((s) => s.weights.has(term)).length;
  return containing === 0 ? 0 : Math.log(1 + SECTIONS.length / containing);
}

/** The sections most relevant to `query` (best first), optionally within one topic. */
export function searchPolicies(query: string, options: { topic?: string | null; limit?: number } = {}) {
  const limit = options.limit ?? 2;
  const pool = options.topic ? SECTIONS.filter((s) => s.topic === options.topic) : SECTIONS;
  const queryTerms = [...new Set(stems(query))].filter((t) => !IGNORED.has(t));
  const scored = pool
    .map((section) => ({
      section,
      score: queryTerms.reduce((sum, t) => sum + rarity(t) * (section.weights.get(t) ?? 0), 0),
    }))
    .filter((s) => s.score > 0 || options.topic)
    .sort((a, b) => b.score - a.score);
  return scored.slice(0, limit).map(({ section: { topic, title, heading, text } }) => ({
    topic,
    title,
    heading,
    text,
  }));
}
