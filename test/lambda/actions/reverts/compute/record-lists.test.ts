/** listOf and idsOf on every list shape CloudTrail logs for EC2: `items`, `item` (one or many), arrays, `""`. */
import { idsOf, listOf } from '../../../../../lambda/actions/reverts/compute/record-lists';

describe('the lists of EC2 records', () => {
  it('reads each shape as a list', () => {
    expect(listOf({ items: [1, 2] })).toEqual([1, 2]);
    expect(listOf({ item: [1, 2] })).toEqual([1, 2]);
    expect(listOf({ item: { a: 1 } })).toEqual([{ a: 1 }]);
    expect(listOf({ item: 'i-0aaa' })).toEqual(['i-0aaa']);
    expect(listOf(['i-0aaa'])).toEqual(['i-0aaa']);
    expect(listOf('')).toEqual([]);
    expect(listOf(null)).toEqual([]);
    expect(listOf(undefined)).toEqual([]);
  });

  it('keeps each matching id once', () => {
    expect(idsOf(['i-0aaa', 'i-0aaa', 'sg-1', 3, null, 'i-0bbb'], /^i-[0-9a-f]+$/)).toEqual([
      'i-0aaa',
      'i-0bbb',
    ]);
  });
});
