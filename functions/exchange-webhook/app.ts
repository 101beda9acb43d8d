import type { Clock } from '@shared/ports/clock';
import type { EventBus } from '@shared/ports/event-bus';
import type { SecretStore } from '@shared/ports/secret-store';
import type { TradeEntry, TradeStore } from '@shared/ports/trade-store';
import type { WebhookReplayStore } from '@shared/ports/webhook-replay-store';
import {
  parseWebhookSecrets,
  SOURCE_NAME,
  type SourceAuthentication,
  verifyExchangeWebhook,
  WebhookSecretsError,
} from '@shared/trading-webhooks/verify';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  EVENT_SOURCE,
  type ExchangeWebhookPayload,
  MAX_EXCHANGE_WEBHOOK_BODY_BYTES,
  type SignalRequested,
} from '../../events/catalog';
import { jsonResponse, problem } from '../lib/http';

/** The secret holding every source's secret (one JSON object). */
const SECRET = 'exchange-webhook-secrets';

/**
 * How long an accepted event id is remembered. Signed requests are refused after 5 minutes anyway; a week covers
 * the body-secret mode, where the id is the only defence against a replay.
 */
export const REPLAY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** What the webhook needs from the world. */
export interface ExchangeWebhookDependencies {
  readonly secrets: SecretStore;
  readonly trades: TradeStore;
  readonly replays: WebhookReplayStore;
  readonly bus: EventBus;
  readonly clock: Clock;
}

/** What became of an accepted request: the stored entry's id, or the event emitted. */
export type ExchangeWebhookOutcome =
  | { readonly accepted: 'fill' | 'order-update'; readonly tradeId: string }
  | { readonly accepted: 'alert'; readonly emitted: 'SignalRequested' };

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const found = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

/** The entry the trades table keeps for a fill or order update from `source`. */
export function tradeEntryOf(
  source: string,
  payload: Exclude<ExchangeWebhookPayload, { type: 'alert' }>,
): TradeEntry {
  const common = {
    // Prefixed, so ids of different sources (and of the paper and live brokers) never collide.
    id: `webhook:${source}:${payload.id}`,
    strategy: payload.strategy,
    market: payload.market,
    side: payload.side,
    time: payload.time,
    source: `webhook:${source}`,
    ...(payload.clientOrderId ? { clientOrderId: payload.clientOrderId } : {}),
  };
  if (payload.type === 'fill') {
    return {
      kind: 'fill',
      ...common,
      quantity: payload.quantity,
      price: payload.price,
      fee: payload.fee,
      ...(payload.orderId ? { orderId: payload.orderId } : {}),
    };
  }
  return {
    kind: 'order-update',
    ...common,
    orderId: payload.orderId,
    status: payload.status,
    quantity: payload.quantity,
    filledQuantity: payload.filledQuantity,
    ...(payload.price === undefined ? {} : { price: payload.price }),
    ...(payload.reason ? { reason: payload.reason } : {}),
  };
}

/**
 * `exchange-webhook`: POST /webhooks/exchange/{source}. Authenticates each request itself (the route has no other
 * authorizer), refuses replays, then stores a fill or order update in the trades table, or emits
 * `SignalRequested` for an alert. Refusals are 400 (unusable body), 401 (sender not proven) or 409 (an event id
 * already accepted: the request is well-formed, and a sender retrying it can tell it was a duplicate); nothing is
 * stored for any of them.
 */
export function createExchangeWebhook(deps: ExchangeWebhookDependencies) {
  async function accept(source: string, payload: ExchangeWebhookPayload): Promise<ExchangeWebhookOutcome> {
    if (payload.type === 'alert') {
      const detail: SignalRequested = {
        source,
        alertId: payload.id,
        strategy: payload.strategy,
        market: payload.market,
        action: payload.action,
        time: payload.time ?? deps.clock.now(),
        ...(payload.price === undefined ? {} : { price: payload.price }),
        ...(payload.note ? { note: payload.note } : {}),
      };
      await deps.bus.put([{ source: EVENT_SOURCE, detailType: 'SignalRequested', detail }]);
      return { accepted: 'alert', emitted: 'SignalRequested' };
    }
    const entry = tradeEntryOf(source, payload);
    if ((await deps.trades.record(entry)) === 'duplicate') throw new DuplicateTradeError(entry.id);
    return { accepted: payload.type, tradeId: entry.id };
  }

  /** POST /webhooks/exchange/{source}. */
  async function http(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const source = event.pathParameters?.source ?? '';
    if (!SOURCE_NAME.test(source)) {
      return problem(400, `"${source.slice(0, 64)}" is not a source name: use letters, digits, - and _`);
    }
    const raw = event.body ?? '';
    // A cheap bound before decoding: base64 is 4/3 of the bytes it carries.
    if (raw.length > (MAX_EXCHANGE_WEBHOOK_BODY_BYTES * 4) / 3 + 4) {
      return problem(400, `the body is over the limit of ${MAX_EXCHANGE_WEBHOOK_BODY_BYTES} bytes`);
    }
    const text = await deps.secrets.get(SECRET);
    if (!text)
      return problem(
        503,
        `the exchange webhook secrets are not configured: ${deps.secrets.howToSet(SECRET)}`,
      );
    let authentication: SourceAuthentication | undefined;
    try {
      authentication = parseWebhookSecrets(text).get(source);
    } catch (error) {
      if (error instanceof WebhookSecretsError) return problem(503, error.message);
      throw error;
    }
    if (!authentication) {
      return problem(
        401,
        `no secret is configured for source "${source}": add it to the exchange webhook secrets (${deps.secrets.howToSet(SECRET)})`,
      );
    }
    const now = deps.clock.now();
    const verdict = verifyExchangeWebhook(
      {
        body: Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8'),
        header: (name) => header(event, name),
      },
      authentication,
      now,
    );
    if (!verdict.ok) return problem(verdict.status, verdict.reason);

    const key = `${source}:${verdict.payload.id}`;
    if (!(await deps.replays.remember(key, now + REPLAY_WINDOW_MS, now))) {
      return problem(
        409,
        `event ${verdict.payload.id} from ${source} was accepted before: a replay is refused`,
      );
    }
    try {
      return jsonResponse(202, await accept(source, verdict.payload));
    } catch (error) {
      if (error instanceof DuplicateTradeError) return problem(409, error.message);
      // Not accepted after all, so the sender's retry must not be taken for a replay.
      await deps.replays.forget(key);
      throw error;
    }
  }

  return { http };
}

/** The trades table already holds an entry with this id (it was accepted before its replay window). */
class DuplicateTradeError extends Error {
  override readonly name = 'DuplicateTradeError';
  constructor(id: string) {
    super(`the trades table already holds ${id}: a replay is refused`);
  }
}
