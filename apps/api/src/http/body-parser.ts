import express, { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * A batch of 1,000 verbatims of 20,000 characters each can weigh about 60 MB of UTF-8; beyond that
 * the request is refused before it is read whole.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Where signed webhooks arrive: their signature is over the bytes as sent, so those are kept. */
export const INBOUND_WEBHOOKS_PATH = '/api/v1/webhooks/';

export type RequestWithRawBody = express.Request & { rawBody?: Buffer };

/** JSON bodies, with parse and size failures answered as 400/413 with a reason instead of an HTML page. */
export function jsonBody(): [RequestHandler, ErrorRequestHandler] {
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
  return [parser, onError];
}
