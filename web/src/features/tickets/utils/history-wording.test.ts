import { describe, expect, it } from 'vitest';
import { describeHistory, formatDueDate } from './history-wording';

const say = (field: string, old_value: string | null, new_value: string | null, personName?: (u: string) => string) =>
  describeHistory({ field, old_value, new_value }, { personName });

describe('describeHistory', () => {
  it('tells the story of a ticket as people speak', () => {
    expect(say('created', null, 'SUP-1').text).toBe('created the ticket');
    expect(say('status', 'open', 'in_progress').text).toBe('changed status from Open to In progress');
    expect(say('priority', 'medium', 'urgent').text).toBe('changed priority from Medium to Urgent');
    expect(say('type', 'task', 'bug').text).toBe('changed the type from Task to Bug');
    expect(say('title', 'Old', 'New').text).toBe('renamed it from “Old” to “New”');
  });

  it('names people by the name the page knows them by', () => {
    const names = (u: string) => ({ ada: 'Ada Lovelace', bob: 'Bob' })[u] ?? u;
    expect(say('assignee', null, 'ada', names).text).toBe('assigned it to Ada Lovelace');
    expect(say('assignee', 'ada', 'bob', names).text).toBe('reassigned it from Ada Lovelace to Bob');
    expect(say('assignee', 'ada', null, names).text).toBe('unassigned Ada Lovelace');
    expect(say('assignee', null, 'zed').text).toBe('assigned it to zed');
    expect(describeHistory({ field: 'assignee', old_value: null, new_value: 'ada' }, { actorUsername: 'ada' }).text).toBe('assigned it to themselves');
  });

  it('says comments and attachments in words and quotes the comment', () => {
    expect(say('comment', null, 'On it')).toEqual({ text: 'commented', quote: 'On it' });
    expect(say('comment', 'On it', 'On it now')).toEqual({ text: 'edited a comment', quote: 'On it now' });
    expect(say('comment', 'On it', null).text).toBe('deleted a comment');
    expect(say('attachment', null, 'log.txt').text).toBe('attached log.txt');
    expect(say('attachment', 'log.txt', null).text).toBe('removed the attachment log.txt');
  });

  it('writes due dates as dates, not raw values', () => {
    expect(say('due_date', '2026-12-01', '2026-12-05').text).toBe('changed the due date from 1 Dec 2026 to 5 Dec 2026');
    expect(say('due_date', null, '2027-01-31').text).toBe('set the due date to 31 Jan 2027');
    expect(say('due_date', '2027-01-31', null).text).toBe('removed the due date (was 31 Jan 2027)');
    expect(formatDueDate('not a date')).toBe('not a date');
  });

  it('says which labels came and went', () => {
    expect(say('labels', null, 'printer').text).toBe('added the label “printer”');
    expect(say('labels', 'a, b', 'b, c, d').text).toBe('added the labels “c” and “d” and removed the label “a”');
    expect(say('labels', 'a', null).text).toBe('removed the label “a”');
  });

  it('describes the description without dumping it into the sentence', () => {
    expect(say('description', null, 'Steps...')).toEqual({ text: 'added a description', quote: 'Steps...' });
    expect(say('description', 'x', 'y')).toEqual({ text: 'edited the description', quote: 'y' });
    expect(say('description', 'x', null).text).toBe('removed the description');
  });

  it('never shows a raw field name for a field it does not know', () => {
    expect(say('story_points', '3', '5').text).toBe('changed the story points from 3 to 5');
  });
});
