import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scrubForLog } from '@app/config';
import globalTeardown from './global-teardown';
import { ibanValid, LeakKind, luhnValid, RUN_DIR_ENV, scanText } from './support/log-scan';

// A line as the product writes it: pino JSON, scrubbed by loggerOptions.
const line = (record: Record<string, unknown>) =>
  JSON.stringify({ level: 'info', time: '2026-11-23T09:14:00.000Z', pid: 4242, app: 'api', ...record });

const VERBATIM = 'Le colis est arrivé écrasé, la boîte était ouverte et il manquait un article.';

/** One planted leak per kind: the scanner must name exactly that kind on that line. */
const PLANTED: [LeakKind, string][] = [
  ['api key', line({ msg: 'key lb_abcdef123456_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6 refused' })],
  ['session cookie', line({ msg: 'request', headers: 'lb_session=abc' })],
  ['authorization header', line({ msg: 'upstream said: Basic dXNlcjpwYXNzd29yZA==' })],
  ['opaque token', line({ msg: 'csrf mismatch', got: 'q3Vh9XkT0pLr2sWn8ZbYc4FdGjHa6MeN1iOu7QwE5Rt' })],
  ['known secret', line({ msg: 'webhook ready', note: 'signed with a-shared-secret-of-ours' })],
  ['secret-named field', line({ msg: 'oidc client', clientSecret: 'hunter22' })],
  ['url credentials', line({ msg: 'connecting', to: 'redis://default:s3cr3t@127.0.0.1:6379' })],
  ['e-mail address', line({ msg: 'sent', to: 'marie.dupont@example.fr' })],
  ['e-mail address', line({ msg: 'sent', to: 'josé.garcía@correo.es' })],
  ['e-mail address', line({ req: { method: 'DELETE', path: '/api/v1/people/jeanne%40example.com' } })],
  ['phone number', line({ msg: 'call back 06 12 34 56 78' })],
  ['phone number', line({ msg: 'call back +44 20 7946 0958' })],
  ['card number', line({ msg: 'paid with 4970-1012-3456-7893' })],
  ['iban', line({ msg: 'refund to FR76 3000 6000 0112 3456 7890 189' })],
  ['verbatim text', line({ msg: `analysed: ${VERBATIM.slice(10, 60)}` })],
  ['verbatim text', line({ msg: `quote "${VERBATIM.slice(0, 30)}"` })],
];

describe('the log scanner', () => {
  const options = { texts: [VERBATIM], secrets: ['a-shared-secret-of-ours'] };

  it('checks cards with Luhn and IBANs with mod 97', () => {
    expect(luhnValid('4970101234567893')).toBe(true);
    expect(luhnValid('4970101234567894')).toBe(false);
    expect(ibanValid('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(ibanValid('FR76 3000 6000 0112 3456 7890 188')).toBe(false);
  });

  it.each(PLANTED)('finds a planted %s', (kind, planted) => {
    const content = [line({ msg: 'request completed', res: { statusCode: 200 } }), planted, ''].join('\n');
    const findings = scanText(content, 'api-1.log', options);
    expect(findings.map((finding) => finding.kind)).toContain(kind);
    expect(findings.every((finding) => finding.line === 2 && finding.file === 'api-1.log')).toBe(true);
  });

  it('finds leaks in lines that are not JSON', () => {
    expect(scanText('plain text to marie.dupont@example.fr', 'x.log').map((finding) => finding.kind)).toEqual(
      ['e-mail address'],
    );
  });

  it('passes the lines the product writes once scrubbed, and ordinary ones', () => {
    const content = [
      line({
        msg: 'request completed',
        req: { id: 'd1c3f8a2-5b0e-4c44-9a1f-0c2e3b4d5e6f', method: 'GET', path: '/api/v1/verbatims' },
        res: { statusCode: 200 },
        responseTime: 12,
      }),
      line({
        msg: 'job done',
        jobId: 'ingest-3f786850e387550fdab836ed7e6dc881de23001b',
        verbatimIds: ['1795927600000', '42'],
      }),
      // Ids whose digits read like numbers: a phone's (found in a real run) and a card's.
      line({ req: { path: '/api/v1/chat-channels/00756083-0227-4e8c-8474-0877225cdad3/messages' } }),
      line({ msg: 'moved', irritantId: '49701012-3456-7893-8000-000000000000' }),
      line({ msg: 'Migration SignIn1795927600000 has been executed successfully.' }),
      line({ msg: 'applied migrations: CategoryCorrections1795915634933, LinkProposals1795926885511' }),
      line({
        msg: 'boot',
        time: '2026-11-29T07:00:00.000Z',
        version: 'pino@10.4.0',
        port: 3000,
        ip: '127.0.0.1',
      }),
      line(
        scrubForLog({
          msg: 'refused key lb_abcdef123456_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6 from marie@example.fr',
          text: VERBATIM,
          authorization: 'Bearer abcdefghijkl',
          secret: 'x',
        }) as Record<string, unknown>,
      ),
      line({ msg: 'connecting', to: 'redis://default:***@127.0.0.1:6379' }),
      line({ msg: 'signed out', header: 'lb_session=; Path=/' }),
    ].join('\n');
    expect(scanText(content, 'api-1.log', options)).toEqual([]);
  });

  it('fails the run from the teardown, naming file, line and kind but never the value', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'log-scan-spec-'));
    const previous = process.env[RUN_DIR_ENV];
    try {
      mkdirSync(join(runDir, 'logs'));
      mkdirSync(join(runDir, 'texts'));
      writeFileSync(join(runDir, 'texts', '1.jsonl'), `${JSON.stringify(VERBATIM)}\n`);
      writeFileSync(
        join(runDir, 'logs', 'worker-7.log'),
        [line({ msg: 'ok' }), line({ msg: `cluster: ${VERBATIM}` }), line({ msg: 'to 06.12.34.56.78' })].join(
          '\n',
        ),
      );
      process.env[RUN_DIR_ENV] = runDir;
      let message = '';
      try {
        globalTeardown();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('worker-7.log:2  verbatim text');
      expect(message).toContain('worker-7.log:3  phone number');
      expect(message).not.toContain('06.12.34.56.78');
      expect(message).not.toContain(VERBATIM.slice(0, 12));

      // The same directory without the leaks passes.
      writeFileSync(join(runDir, 'logs', 'worker-7.log'), line({ msg: 'ok' }));
      expect(() => globalTeardown()).not.toThrow();
    } finally {
      if (previous === undefined) delete process.env[RUN_DIR_ENV];
      else process.env[RUN_DIR_ENV] = previous;
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});
