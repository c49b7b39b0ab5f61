import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express, { NextFunction, Request, Response } from 'express';

/** Steps of the booking journey, as the switches name them. */
export const SHOP_STEPS = ['search', 'book', 'pay', 'ticket'] as const;
export type ShopStep = (typeof SHOP_STEPS)[number];

export interface ShopSwitches {
  /** Answer this step slowly (ms). */
  slow: Partial<Record<ShopStep, number>>;
  /** Break this step (500 and an error page). */
  broken: ShopStep[];
}

export interface DemoShop {
  url: string;
  switches: ShopSwitches;
  close(): Promise<void>;
}

const TRAINS = [
  { id: 'TGV-7001', from: 'Paris', to: 'Lille', departs: '07:16', price: 49 },
  { id: 'TGV-7005', from: 'Paris', to: 'Lille', departs: '08:46', price: 39 },
  { id: 'TGV-6611', from: 'Paris', to: 'Lyon', departs: '09:00', price: 59 },
];

const page = (title: string, body: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title} · LoveRail (démo)</title></head><body><h1>${title}</h1>${body}</body></html>`;

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * A small travel-booking site for the monitors to watch: search, pick a train, pay, get an
 * e-ticket, as web pages (browser journeys) and as a JSON API (HTTP journeys), with switches that
 * make a step slow or broken. `npm start` serves it on the port after the API's; the tests start
 * their own. Not a shop: nothing is kept but the tickets of the process's life.
 */
export async function startDemoShop(port: number, host = '127.0.0.1'): Promise<DemoShop> {
  const switches: ShopSwitches = { slow: {}, broken: [] };
  const tickets = new Map<string, { train: string; passenger: string }>();
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(express.json({ limit: '16kb' }));

  const step =
    (name: ShopStep) =>
    (_request: Request, response: Response, next: NextFunction): void => {
      const delay = switches.slow[name] ?? 0;
      setTimeout(() => {
        if (switches.broken.includes(name)) {
          response
            .status(500)
            .send(page('Erreur', `<p class="error">Une erreur est survenue (${name}).</p>`));
          return;
        }
        next();
      }, delay);
    };

  app.get('/', (_request, response) => {
    response.send(
      page(
        'Rechercher un train',
        `<form action="/search" method="get"><label>De <input name="from" id="from"></label><label>À <input name="to" id="to"></label><button id="search" type="submit">Rechercher</button></form>`,
      ),
    );
  });
  app.get('/search', step('search'), (request, response) => {
    const from = typeof request.query.from === 'string' ? request.query.from : '';
    const to = typeof request.query.to === 'string' ? request.query.to : '';
    const found = TRAINS.filter((train) => train.from === from && train.to === to);
    response.send(
      page(
        `${escape(from)} → ${escape(to)}`,
        found.length === 0
          ? '<p id="none">Aucun train.</p>'
          : `<ul>${found.map((train) => `<li><a class="train" href="/book?train=${train.id}">${train.departs} · ${train.id} · ${train.price} €</a></li>`).join('')}</ul>`,
      ),
    );
  });
  app.get('/book', step('book'), (request, response) => {
    const train = TRAINS.find((one) => one.id === request.query.train);
    if (!train) {
      response.status(404).send(page('Train inconnu', ''));
      return;
    }
    response.send(
      page(
        `Payer ${train.price} €`,
        `<form action="/pay" method="post"><input type="hidden" name="train" value="${train.id}"><label>Nom <input name="passenger" id="passenger"></label><label>Carte <input name="card" id="card"></label><button id="pay" type="submit">Payer</button></form>`,
      ),
    );
  });
  app.post('/pay', step('pay'), (request, response) => {
    const body = request.body as { train?: string; passenger?: string };
    const id = randomBytes(4).toString('hex').toUpperCase();
    tickets.set(id, { train: String(body.train ?? ''), passenger: String(body.passenger ?? '') });
    response.redirect(303, `/ticket/${id}`);
  });
  app.get('/ticket/:id', step('ticket'), (request, response) => {
    const ticket = tickets.get(String(request.params.id));
    if (!ticket) {
      response.status(404).send(page('Billet introuvable', ''));
      return;
    }
    response.send(
      page(
        'Votre e-billet',
        `<p id="ticket">E-billet ${escape(String(request.params.id))} · ${escape(ticket.train)} · ${escape(ticket.passenger)}</p>`,
      ),
    );
  });

  // The same journey as a JSON API, for HTTP monitors.
  app.post('/api/search', step('search'), (request, response) => {
    const body = request.body as { from?: string; to?: string };
    response.json({ trains: TRAINS.filter((train) => train.from === body.from && train.to === body.to) });
  });
  app.post('/api/book', step('book'), (request, response) => {
    const train = TRAINS.find((one) => one.id === (request.body as { train?: string }).train);
    if (!train) {
      response.status(404).json({ error: 'unknown train' });
      return;
    }
    response.json({ bookingToken: randomBytes(8).toString('hex'), price: train.price, train: train.id });
  });
  app.post('/api/pay', step('pay'), (request, response) => {
    const body = request.body as { bookingToken?: string; train?: string };
    if (!body.bookingToken) {
      response.status(400).json({ error: 'bookingToken required' });
      return;
    }
    const id = randomBytes(4).toString('hex').toUpperCase();
    tickets.set(id, { train: String(body.train ?? ''), passenger: 'api' });
    response.json({ ticketId: id });
  });
  app.get('/api/ticket/:id', step('ticket'), (request, response) => {
    const ticket = tickets.get(String(request.params.id));
    if (!ticket) {
      response.status(404).json({ error: 'no such ticket' });
      return;
    }
    response.json({ ticketId: request.params.id, ...ticket });
  });

  // The switches: loopback only, for demos and tests.
  app.get('/__switches', (_request, response) => {
    response.json(switches);
  });
  app.post('/__switches', (request, response) => {
    const body = request.body as Partial<ShopSwitches>;
    switches.slow = {};
    for (const [name, ms] of Object.entries(body.slow ?? {})) {
      if (
        (SHOP_STEPS as readonly string[]).includes(name) &&
        typeof ms === 'number' &&
        ms >= 0 &&
        ms <= 120_000
      )
        switches.slow[name as ShopStep] = ms;
    }
    switches.broken = (body.broken ?? []).filter((name): name is ShopStep =>
      (SHOP_STEPS as readonly string[]).includes(name),
    );
    response.json(switches);
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(port, host, () => resolve(listening));
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${host}:${address.port}`,
    switches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
