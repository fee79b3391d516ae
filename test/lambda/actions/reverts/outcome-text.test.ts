import { describeError, eventOf, undoAction } from '../../../../lambda/actions/reverts/outcome-text';

describe("the reverters' shared words", () => {
  it('names the event, the undo and the error as every detail sentence does', () => {
    expect(eventOf({ eventName: 'StopLogging', eventId: 'e-1', region: 'eu-west-1' })).toBe(
      'StopLogging (event e-1) in eu-west-1',
    );
    expect(undoAction('restart-trail-logging')).toBe('undo-restart-trail-logging');
    expect(describeError({ name: 'AccessDenied', message: 'no' })).toBe('AccessDenied: no');
  });
});
