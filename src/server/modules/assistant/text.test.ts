import { describe, expect, it } from 'vitest';
import { searchPolicies } from './policies.ts';
import { editDistance, formatCents, parseCount, stem, wordSimilarity, words } from './text.ts';
import { toolSpecs } from './tools.ts';

describe('assistant text helpers', () => {
  it('folds plurals and possessives', () => {
    expect(['batteries', 'boxes', 'headphones', 'glasses', 'knives', 'boots', 'bus'].map(stem)).toEqual([
      'battery',
      'box',
      'headphone',
      'glass',
      'knife',
      'boot',
      'bus',
    ]);
    expect(words('Chef\'s Knife-Set, 10"')).toEqual(['chefs', 'knife', 'set', '10']);
  });

  it('tolerates typos by word length, transpositions included', () => {
    expect(editDistance('haedphone', 'headphone', 2)).toBe(1);
    expect(wordSimilarity('skilet', 'skillet')).toBeGreaterThan(0.8);
    expect(wordSimilarity('mug', 'mud')).toBe(0); // short words must match exactly
    expect(wordSimilarity('kettle', 'bottle')).toBe(0);
  });

  it('formats cents as shop prices and reads counts', () => {
    expect(formatCents(129999)).toBe('$1,299.99');
    expect(formatCents(5)).toBe('$0.05');
    expect(['3', 'two', 'a', 'many'].map(parseCount)).toEqual([3, 2, 1, null]);
  });

  it('finds the relevant policy section', () => {
    expect(searchPolicies('can I send it back for a refund?')[0].topic).toBe('returns');
    expect(searchPolicies('how long does delivery take')[0].heading).toBe('Delivery times and costs');
    expect(searchPolicies('do you take paypal')[0].topic).toBe('payment');
    expect(searchPolicies('what cookies do you use')[0].heading).toBe('Cookies');
    expect(searchPolicies('phone number of support')[0].topic).toBe('contact');
  });

  it('describes every tool in OpenAI strict form: all properties required, no extra keys', () => {
    for (const spec of toolSpecs()) {
      const parameters = spec.function.parameters as {
        properties: Record<string, unknown>;
        required: string[];
        additionalProperties: boolean;
      };
      expect(spec.function.strict).toBe(true);
      expect(parameters.additionalProperties).toBe(false);
      expect(parameters.required.sort()).toEqual(Object.keys(parameters.properties).sort());
    }
  });
});
