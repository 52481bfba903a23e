import { locateIssue, parseIssuePath } from '../../../console/src/editor/issue-location.js';

describe("the editor: an issue's JSON path to its place in the text", () => {
  it('reads the paths the server prints', () => {
    expect(parseIssuePath('$')).toEqual([]);
    expect(parseIssuePath('$.steps[2].params.lead_id')).toEqual(['steps', 2, 'params', 'lead_id']);
    expect(parseIssuePath("$.params['first name']['it\\'s']")).toEqual(['params', 'first name', "it's"]);
  });

  it("finds a property's key, an element, or the deepest part of the path that exists", () => {
    const text = JSON.stringify(
      {
        steps: [
          { name: 'a', type: 'transform' },
          { name: 'b', type: 'nope', params: { x: 1 } },
        ],
      },
      null,
      2,
    );
    const at = (path: string) => {
      const { from, to } = locateIssue(text, path);
      return text.slice(from, to);
    };
    expect(at('$.steps[1].type')).toBe('"type"');
    expect(at('$.steps[1].params.missing')).toBe('"params"');
    expect(at('$.steps[0]')).toBe('{');
    expect(at('$')).toBe('{');
    expect(locateIssue('not json', '$.steps')).toEqual({ from: 0, to: 1 });
  });
});
