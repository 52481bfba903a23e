import { nestedRepetition } from '../../../src/engine/definition/regex-safety.js';

describe('nestedRepetition', () => {
  it.each([
    ['(a+)+$', '(a+)+'],
    ['^(a*)*b', '(a*)*'],
    ['(\\w+\\s?)*x', '(\\w+\\s?)*'],
    ['((ab)*c)+', '((ab)*c)+'],
    ['(a{1,5}){2,}', '(a{1,5}){2,}'],
    ['(?:[a-z]+)+@', '(?:[a-z]+)+'],
    ['(?<word>x+)*', '(?<word>x+)*'],
    ['((a+))+', '((a+))+'],
  ])('refuses %s', (pattern, offending) => {
    expect(nestedRepetition(pattern)).toBe(offending);
  });

  it.each(['a+b+', '(ab)+', '(a|b)*', '[a+]+', '(a+)?', '\\(a+\\)+', '(?:ab){2}', '(?<n>a)+', '^[^@]+@example\\.com$', '[(]a+[)]+'])(
    'accepts %s',
    (pattern) => {
      expect(nestedRepetition(pattern)).toBeUndefined();
    },
  );
});
