import { Role } from '@app/database';
import { useApi } from './support/app';
import { verbatim } from './support/builders';
import { query, waitForLastStage } from './support/database';
import { http } from './support/http';

/**
 * Irritants follow the topic, not the classifier's category, with the installation's own term
 * weights; the regrouping pass repairs what the arrival order did (an incoherent irritant split,
 * near-duplicates merged) while ids stay with the topic, counts stay exact, and what triagers
 * decided holds. The scenario's texts and order were chosen so that clustering alone gets them
 * wrong: every step below is asserted on the state before and after.
 */
describe('irritants across categories and the regrouping pass', () => {
  // The regrouping reads the last 30 days of the product's clock: the texts are dated in them.
  const { api, db } = useApi({ env: { CLOCK_START: '2026-11-25T12:00:00Z' } });
  let triager: string;
  let viewer: string;
  let admin: string;

  beforeAll(async () => {
    [triager, viewer, admin] = await Promise.all([
      api.key(Role.Triager),
      api.key(Role.Viewer),
      api.key(Role.Admin),
    ]);
  });

  let sequence = 0;
  /** Posts texts one by one, in this order, each clustered before the next; returns their ids. */
  async function postInOrder(lang: string, ...texts: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const text of texts) {
      sequence++;
      const response = await http(api.url, 'POST', '/api/v1/verbatims', {
        key: triager,
        body: [
          verbatim({
            source: 'regroup',
            externalId: `r-${sequence}`,
            author: `customer-${sequence}@example.com`,
            receivedAt: new Date(Date.UTC(2026, 10, 20, 8, sequence)).toISOString(),
            text,
            lang,
          }),
        ],
      });
      expect(response.status).toBe(201);
      const [id] = response.body.items.map((item: { id: string }) => item.id) as string[];
      await waitForLastStage(db.url, [id]);
      ids.push(id);
    }
    return ids;
  }

  const irritantsOf = async (ids: string[]) =>
    (
      await query<{ id: string; irritant_id: string }>(
        db.url,
        'SELECT id, irritant_id FROM verbatim WHERE id = ANY($1)',
        [ids],
      )
    )
      .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
      .map((row) => row.irritant_id);

  const regroup = async () => {
    const response = await http(api.url, 'POST', '/api/v1/irritants/regroup', { key: admin });
    expect(response.status).toBe(200);
    return response.body as { moved: number; merged: number; created: number; irritantsAfter: number };
  };

  /** Every irritant's counts equal what its verbatims add up to. */
  async function expectExactCounts(): Promise<void> {
    const wrong = await query<{ id: string }>(
      db.url,
      `SELECT i.id FROM irritant i
         LEFT JOIN (SELECT irritant_id, count(*)::int AS n, count(DISTINCT author_key)::int AS c
                      FROM verbatim WHERE irritant_id IS NOT NULL GROUP BY irritant_id) v ON v.irritant_id = i.id
        WHERE i.verbatim_count <> coalesce(v.n, 0) OR i.distinct_customers <> coalesce(v.c, 0)`,
    );
    expect(wrong).toEqual([]);
  }

  let cardLost: string[];
  let transfer: string[];
  let parcel: string[];

  it('only admins regroup on demand', async () => {
    for (const key of [viewer, triager]) {
      expect((await http(api.url, 'POST', '/api/v1/irritants/regroup', { key })).status).toBe(403);
    }
    expect((await http(api.url, 'POST', '/api/v1/irritants/regroup', {})).status).toBe(401);
    expect((await regroup()).moved).toBe(0);
  });

  it('splits an irritant a bad arrival order made incoherent, merges the near-duplicates it scattered, and keeps ids with the topic', async () => {
    // A message about two things arrives first: every later one joins it.
    const [bridge, ...rest] = await postInOrder(
      'en',
      'card lost and transfer failed',
      'card lost',
      'transfer failed',
      'lost my card',
      'my transfer failed',
      'card lost, block it',
      'transfer failed again',
      'please block my lost card',
      'why did my transfer fail',
    );
    // The message about both ends with the lost cards (the pass reads texts in an order of their
    // words, not of their arrival): that part is the larger one.
    cardLost = [bridge, rest[0], rest[2], rest[4], rest[6]];
    transfer = [rest[1], rest[3], rest[5], rest[7]];
    // Two ways of telling one complaint, interleaved: clustering alone keeps two irritants.
    parcel = await postInOrder(
      'en',
      'my parcel never arrived, the courier failed',
      'parcel pending for weeks, never arrived',
      'the parcel never arrived, the courier failed again',
      'parcel pending, it never arrived',
    );
    const before = await irritantsOf([...transfer, ...cardLost]);
    expect(new Set(before).size).toBe(1);
    const parcelBefore = await irritantsOf(parcel);
    expect(new Set(parcelBefore).size).toBe(2);

    const summary = await regroup();
    expect(summary.moved).toBeGreaterThan(0);

    const transferAfter = await irritantsOf(transfer);
    const cardAfter = await irritantsOf(cardLost);
    expect(new Set(transferAfter).size).toBe(1);
    expect(new Set(cardAfter).size).toBe(1);
    // The larger part of the split irritant keeps its id; the other part is a new irritant.
    expect(cardAfter[0]).toBe(before[0]);
    expect(transferAfter[0]).not.toBe(before[0]);
    // The near-duplicates are one irritant, under the id of the older one; the other id redirects.
    const parcelAfter = await irritantsOf(parcel);
    expect(new Set(parcelAfter).size).toBe(1);
    expect(parcelAfter[0]).toBe(parcelBefore[0]);
    const gone = await fetch(`${api.url}/api/v1/irritants/${parcelBefore[1]}`, {
      headers: { authorization: `Bearer ${viewer}` },
      redirect: 'manual',
    });
    expect(gone.status).toBe(301);
    expect(gone.headers.get('location')).toBe(`/api/v1/irritants/${parcelBefore[0]}`);
    const merged = await http(api.url, 'GET', `/api/v1/irritants/${parcelAfter[0]}`, { key: viewer });
    expect(merged.body).toMatchObject({ verbatimCount: 4, distinctCustomers: 4 });
    await expectExactCounts();

    // The result does not depend on when the pass runs: again, nothing moves.
    expect((await regroup()).moved).toBe(0);
  });

  it("never undoes a triager's merge, split or move", async () => {
    const [transferId] = await irritantsOf(transfer);
    const [cardId] = await irritantsOf(cardLost);
    const [parcelId] = await irritantsOf(parcel);
    // A person says lost cards and failed transfers are one problem for them.
    const merge = await http(api.url, 'POST', `/api/v1/irritants/${cardId}/merge`, {
      key: triager,
      body: { into: transferId },
    });
    expect(merge.status).toBe(200);
    expect(merge.body.held).toBe(true);
    // And that the two ways of telling the parcel complaint are two problems.
    const split = await http(api.url, 'POST', `/api/v1/irritants/${parcelId}/split`, {
      key: triager,
      body: { verbatimIds: [parcel[1], parcel[3]] },
    });
    expect(split.status).toBe(201);
    // And moves one failed transfer into the first parcel irritant (pinned there).
    const move = await http(api.url, 'PUT', `/api/v1/verbatims/${transfer[2]}/irritant`, {
      key: triager,
      body: { irritantId: parcelId },
    });
    expect(move.status).toBe(200);

    const decided = async () => ({
      together: await irritantsOf([...transfer.filter((id) => id !== transfer[2]), ...cardLost]),
      parcel: await irritantsOf(parcel),
      moved: await irritantsOf([transfer[2]]),
    });
    const before = await decided();
    expect(new Set(before.together).size).toBe(1);
    expect(before.parcel).toEqual([parcelId, split.body.id, parcelId, split.body.id]);
    expect(before.moved).toEqual([parcelId]);

    await regroup();
    expect(await decided()).toEqual(before);
    await expectExactCounts();
  });

  it('groups one topic whatever category the classifier gave, the category being the majority or what a person set', async () => {
    const ids = await postInOrder(
      'en',
      'the seat map shows no window seats on the Lyon train',
      'no window seats shown on the seat map for the Lyon train',
      'seat map for the Lyon train shows no window seats at all',
    );
    const [irritantId] = await irritantsOf(ids);
    expect(new Set(await irritantsOf(ids)).size).toBe(1);
    const category = (await http(api.url, 'GET', `/api/v1/irritants/${irritantId}`, { key: viewer })).body
      .category as string;
    const other = category === 'search_booking' ? 'mobile_app' : 'search_booking';
    // Two of its verbatims are filed under another category: they stay, the majority moves.
    for (const id of ids.slice(0, 2)) {
      const corrected = await http(api.url, 'PATCH', `/api/v1/verbatims/${id}/category`, {
        key: triager,
        body: { category: other },
      });
      expect(corrected.status).toBe(200);
    }
    expect(await irritantsOf(ids)).toEqual([irritantId, irritantId, irritantId]);
    const majority = await http(api.url, 'GET', `/api/v1/irritants/${irritantId}`, { key: viewer });
    expect(majority.body).toMatchObject({ category: other, categorySetBy: null, verbatimCount: 3 });

    // A person sets the category: it stays, whatever the verbatims say.
    const path = `/api/v1/irritants/${irritantId}`;
    expect((await http(api.url, 'PATCH', path, { key: viewer, body: { category } })).status).toBe(403);
    expect((await http(api.url, 'PATCH', path, { key: triager, body: { category: 'nope' } })).status).toBe(
      400,
    );
    const set = await http(api.url, 'PATCH', path, { key: triager, body: { category } });
    expect(set.status).toBe(200);
    expect(set.body.category).toBe(category);
    expect(set.body.categorySetBy).toEqual(expect.any(String));
    // A new verbatim of the topic joins it, whatever its own category.
    const [later] = await postInOrder('en', 'the Lyon train seat map has no window seats');
    expect(await irritantsOf([later])).toEqual([irritantId]);
    await regroup();
    const after = await http(api.url, 'GET', path, { key: viewer });
    expect(after.body).toMatchObject({ id: irritantId, category, verbatimCount: 4 });
  });

  it('sets references, order ids, dates and amounts aside before comparing', async () => {
    const ids = await postInOrder(
      'en',
      'Order #QX7-55821 of 12/03/2026 charged 45.90 € twice on my card',
      'Order ZZ-00042 of 3 March charged $120 twice on my card',
    );
    expect(new Set(await irritantsOf(ids)).size).toBe(1);
  });

  it('joins French and English on distinctive concepts, never on generic words alone', async () => {
    const bilingual = [
      ...(await postInOrder(
        'fr',
        'Remboursement de mon train annulé toujours pas reçu après trois semaines',
      )),
      ...(await postInOrder('en', 'Refund for my cancelled train still not received after three weeks')),
    ];
    expect(new Set(await irritantsOf(bilingual)).size).toBe(1);
    // An hotel guest's hour and luggage are not an airline's lost bag.
    const [hotel] = await postInOrder('fr', "Une heure d'attente à l'hôtel pour récupérer nos bagages");
    const [airline] = await postInOrder('en', 'Waited an hour for our luggage');
    const [first] = await irritantsOf([hotel]);
    expect(await irritantsOf([airline])).not.toEqual([first]);
    await regroup();
    const [hotelAfter, airlineAfter] = await irritantsOf([hotel, airline]);
    expect(hotelAfter).not.toBe(airlineAfter);
    expect(new Set(await irritantsOf(bilingual)).size).toBe(1);
    await expectExactCounts();
  });
});
