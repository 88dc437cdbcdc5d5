const MAX = 10;

/**
 * A project key suggested from its name: the initials of a name of several words ("Customer
 * Support" → "CS"), the first three characters of a one-word name ("Support" → "SUP"). Always a
 * valid key ([A-Z][A-Z0-9]{1,9}) or '' when the name gives too little to go on.
 */
export function suggestProjectKey(name: string): string {
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  // A key starts with a letter: numbers in front of the first word with letters don't count.
  while (words.length && !/[A-Z]/.test(words[0])) words.shift();
  if (words.length === 0) return '';
  words[0] = words[0].replace(/^[0-9]+/, '');
  const key = words.length > 1 ? words.map((w) => w[0]).join('') : words[0].slice(0, 3);
  return key.length >= 2 ? key.slice(0, MAX) : '';
}
