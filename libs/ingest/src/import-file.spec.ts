import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportFileError, isoDate, parseFieldMap, readImportRows } from './import-file';

describe('import field maps', () => {
  it('reads --map and --set, and names what is wrong', () => {
    expect(
      parseFieldMap('text=tweet_text, author=user.name,metadata.airline=airline', 'channel=twitter'),
    ).toEqual({
      columns: { text: 'tweet_text', author: 'user.name' },
      constants: { channel: 'twitter' },
      metadata: { airline: 'airline' },
    });
    expect(parseFieldMap(undefined, undefined)).toBeNull();
    expect(() => parseFieldMap('body=text')).toThrow(ImportFileError);
    expect(() => parseFieldMap('text')).toThrow('--map: "text" is not field=value');
    expect(() => parseFieldMap('text=a', 'text=b')).toThrow('--set: text is already mapped to a column');
  });

  it('reads the dates other tools write as ISO 8601 with their offset', () => {
    expect(isoDate('2015-02-24 11:35:52 -0800')).toBe('2015-02-24T11:35:52-08:00');
    expect(isoDate('2026-11-20 08:00 UTC')).toBe('2026-11-20T08:00:00Z');
    expect(isoDate('1795900000')).toBe('2026-11-28T21:06:40.000Z');
    expect(isoDate('1795900000123')).toBe('2026-11-28T21:06:40.123Z');
    // No offset: left as it is, so that the row is refused for it rather than guessed.
    expect(isoDate('2026-11-20 08:00:00')).toBe('2026-11-20 08:00:00');
  });

  it('maps JSONL objects, dotted paths included', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lb-map-')), 'export.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 7, body: 'Remboursement ?', user: { handle: 'zoe' }, at: '2026-11-20 08:00:00 +0100' })}\n`,
    );
    const map = parseFieldMap('externalId=id,text=body,author=user.handle,receivedAt=at', 'channel=chat');
    const rows = [];
    for await (const row of readImportRows(file, 'jsonl', { map })) rows.push(row);
    expect(rows).toEqual([
      {
        line: 1,
        value: {
          channel: 'chat',
          externalId: '7',
          text: 'Remboursement ?',
          author: 'zoe',
          receivedAt: '2026-11-20T08:00:00+01:00',
        },
      },
    ]);
  });
});
