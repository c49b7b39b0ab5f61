import type { ArgumentsHost } from '@nestjs/common';
import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import { QueueUnavailableError } from '@app/jobs';
import { ErrorFilter } from './error.filter';

/** What the filter answers, read off a response that records it. */
function answer(exception: unknown) {
  const sent: { status?: number; body?: Record<string, unknown>; headers: Record<string, string> } = {
    headers: {},
  };
  const response = {
    headersSent: false,
    req: { accepts: () => 'json' },
    setHeader: (name: string, value: string) => (sent.headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return sent;
}

describe('ErrorFilter', () => {
  it('answers 503 with Retry-After when the database cannot take a connection, not 500', () => {
    for (const failure of [
      new Error('Connection terminated due to connection timeout'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ]) {
      const sent = answer(failure);
      expect({ status: sent.status, retryAfter: sent.headers['retry-after'] }).toEqual({
        status: 503,
        retryAfter: '5',
      });
      expect(String(sent.body?.message)).toMatch(/database is not answering/);
    }
  });

  it('keeps a bug a 500 with an id, and says nothing of its internals', () => {
    const sent = answer(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(sent.status).toBe(500);
    expect(sent.body).toMatchObject({ message: 'unexpected error', errorId: expect.any(String) });
    expect(JSON.stringify(sent.body)).not.toContain('undefined');
  });

  it('answers 503 with Retry-After when Redis did not take the jobs in time', () => {
    const sent = answer(new QueueUnavailableError('Redis is reconnecting'));
    expect({ status: sent.status, retryAfter: sent.headers['retry-after'] }).toEqual({
      status: 503,
      retryAfter: '10',
    });
    expect(String(sent.body?.message)).toMatch(/Redis/);
  });

  it('challenges Bearer on a 401, never Basic (a browser would replay Basic cross-site)', () => {
    const sent = answer(new UnauthorizedException('sign in'));
    expect(sent.status).toBe(401);
    expect(sent.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('passes an HTTP error through with its reason', () => {
    const sent = answer(new NotFoundException('irritant x does not exist'));
    expect(sent).toMatchObject({ status: 404, body: { message: 'irritant x does not exist' } });
  });
});
