import { splitListText } from './split-list-text';

describe('splitListText', () => {
  it('splits on semicolons and new lines', () => {
    expect(splitListText('a@x.example; b@y.example\nc@z.example\r\nd')).toEqual([
      'a@x.example',
      ' b@y.example',
      'c@z.example',
      'd',
    ]);
  });

  it('does not split a phone extension', () => {
    expect(splitListText('+14255550100;ext=12;+442079460958')).toEqual([
      '+14255550100;ext=12',
      '+442079460958',
    ]);
    expect(splitListText('+14255550100; ext. 7')).toEqual(['+14255550100; ext. 7']);
  });

  it('splits words that merely start with "ext"', () => {
    expect(splitListText('Sales;External')).toEqual(['Sales', 'External']);
  });
});
