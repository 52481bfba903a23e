import { childPath, formatPath, fromJsonPointer } from '../../../src/engine/definition/json-path.js';

describe('JSON paths', () => {
  it('prints identifiers with dots, indexes in brackets and other keys quoted', () => {
    expect(formatPath(['steps', 2, 'params', 'lead_id'])).toBe('$.steps[2].params.lead_id');
    expect(childPath('$.params', "first name's")).toBe("$.params['first name\\'s']");
    expect(childPath('$', 'a-b')).toBe("$['a-b']");
  });

  it('converts JSON pointers', () => {
    expect(fromJsonPointer('')).toBe('$');
    expect(fromJsonPointer('/contact/emails/1')).toBe('$.contact.emails[1]');
    expect(fromJsonPointer('/a~1b/c~0d')).toBe("$['a/b']['c~d']");
  });
});
