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
  terms: Set<string>;
  /** Words of the topic, title and heading: a hit on these counts double. */
  keyTerms: Set<string>;
}

// Words that say nothing about which policy is meant.
const IGNORED = new Set(
  stems('policy policies rule rules your our the a an is are what how do does can i my me you we it of to'),
);

const POLICY_DIR = join(import.meta.dirname, 'policies');

// Words people use for a topic that the policy text itself may not contain.
const TOPIC_SYNONYMS: Record<string, string> = {
  shipping: 'ship shipping delivery deliver deliveries arrive parcel package send courier post',
  returns: 'return returns refund money back exchange send back damaged broken faulty warranty',
  payment: 'pay payment card credit debit paypal charge charged method checkout',
  privacy: 'privacy data personal cookie cookies gdpr delete account information',
  contact: 'contact support help phone call email reach address customer service',
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
      const keyTerms = new Set(stems(`${title} ${heading} ${TOPIC_SYNONYMS[topic] ?? ''}`));
      const terms = new Set([...keyTerms, ...stems(text)]);
      sections.push({ topic, title, heading: heading.trim(), text, terms, keyTerms });
    }
  }
  return sections;
}

const SECTIONS = loadSections();
export const POLICY_TOPICS = [...new Set(SECTIONS.map((s) => s.topic))];

function rarity(term: string): number {
  const containing = SECTIONS.filter((s) => s.terms.has(term)).length;
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
      score: queryTerms.reduce(
        (sum, t) => sum + (section.terms.has(t) ? rarity(t) * (section.keyTerms.has(t) ? 2 : 1) : 0),
        0,
      ),
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

/** The policy topic a message is mostly about, or null when it is about none. */
export function policyTopicOf(message: string): string | null {
  const best = searchPolicies(message, { limit: 1 })[0];
  return best?.topic ?? null;
}
