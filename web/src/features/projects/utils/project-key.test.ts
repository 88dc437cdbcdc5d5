import { describe, expect, it } from 'vitest';
import { suggestProjectKey } from './project-key';

describe('suggestProjectKey', () => {
  it('takes the initials of a name of several words', () => {
    expect(suggestProjectKey('Customer Support')).toBe('CS');
    expect(suggestProjectKey('IT help-desk  (Berlin)')).toBe('IHDB');
  });

  it('takes the first three characters of a one-word name', () => {
    expect(suggestProjectKey('Support')).toBe('SUP');
    expect(suggestProjectKey('ops')).toBe('OPS');
    expect(suggestProjectKey('QA')).toBe('QA');
  });

  it('always gives a valid key or nothing', () => {
    const valid = /^[A-Z][A-Z0-9]{1,9}$/;
    for (const name of ['2026 Roadmap', 'Équipe données', 'a b c d e f g h i j k l m', 'Web 2', '3D printing lab', 'Z']) {
      const key = suggestProjectKey(name);
      expect(key === '' || valid.test(key), `${name} → ${key}`).toBe(true);
    }
    expect(suggestProjectKey('Équipe données')).toBe('ED');
    expect(suggestProjectKey('2026 Roadmap')).toBe('ROA');
    expect(suggestProjectKey('3D printing lab')).toBe('DPL');
    expect(suggestProjectKey('a b c d e f g h i j k l m')).toHaveLength(10);
    expect(suggestProjectKey('Web 2')).toBe('W2');
    expect(suggestProjectKey('Z')).toBe('');
    expect(suggestProjectKey('  !!  ')).toBe('');
  });
});
