import express, { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * A batch of 1,000 verbatims of 20,000 characters each can weigh about 60 MB of UTF-8; beyond that
 * the request is refused before it is read whole.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Where signed webhooks arrive: their signature is over the bytes as sent, so those are kept. */
export const INBOUND_WEBHOOKS_PATH = '/api/v1/webhooks/';

export type RequestWithRawBody = express.Request & { rawBody?: Buffer };

/** Where mail providers push raw MIME messages (any content type), read as bytes. */
export const INBOUND_MAIL_PATH = `${INBOUND_WEBHOOKS_PATH}email/`;
/**
 * A pushed message may weigh a little over the 10 MB limit and still be read, so that it is
 * refused with a dead letter naming its size; beyond this it is refused unread (413).
 */
export const MAX_MAIL_BODY_BYTES = 12 * 1024 * 1024;

/** CSV uploads (KPI imports) as text; other content types pass on untouched. */
export function csvBody(): RequestHandler {
  return express.text({ type: 'text/csv', limit: MAX_MAIL_BODY_BYTES * 2 });
}

/** Raw bytes for pushed mail; everything else goes on to the JSON parser. */
export function mailBody(): RequestHandler {
  const parser = express.raw({ type: () => true, limit: MAX_MAIL_BODY_BYTES });
  return (request, response, next) => {
    if (!request.url.startsWith(INBOUND_MAIL_PATH)) {
      next();
      return;
    }
    parser(request, response, next);
  };
}

/** Deeper JSON than any LoveBoard payload or webhook needs; validators recurse and overflowed (500). */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max`: iterative, so that it cannot overflow itself. */
export function nestsDeeper(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * JSON bodies, with parse and size failures answered as 400/413 with a reason instead of an HTML
 * page, and bodies nested deeper than MAX_JSON_DEPTH refused with a 400 before validation recurses.
 */
export function jsonBody(): [RequestHandler, ErrorRequestHandler, RequestHandler] {
  const parser = express.json({
    limit: MAX_BODY_BYTES,
    strict: false,
    verify: (request: RequestWithRawBody, _response, buffer) => {
      if (request.url.startsWith(INBOUND_WEBHOOKS_PATH)) request.rawBody = buffer;
    },
  });
  const onError: ErrorRequestHandler = (
    error: { type?: string; status?: number; message?: string },
    _req,
    res,
    next,
  ) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `request body exceeds ${MAX_BODY_BYTES / 1024 / 1024} MB`,
      });
    } else if (error.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ statusCode: 400, error: 'Bad Request', message: `malformed JSON: ${error.message ?? ''}` });
    } else if (error.status && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({
        statusCode: error.status,
        error: 'Bad Request',
        message: error.message ?? 'bad request body',
      });
    } else {
      next(error);
    }
  };
  const depth: RequestHandler = (request, response, next) => {
    if (nestsDeeper(request.body, MAX_JSON_DEPTH)) {
      response.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      });
      return;
    }
    next();
  };
  return [parser, onError, depth];
}
