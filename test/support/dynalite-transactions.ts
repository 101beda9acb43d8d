import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/** The DynamoDB JSON protocol's error type prefix. */
const ERROR_TYPE_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

type Key = Record<string, AttributeValue>;

interface ExpressionParts {
  TableName: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Key;
  ReturnValuesOnConditionCheckFailure?: string;
}

/** One action of a TransactWriteItems request, in the wire format. */
interface TransactWriteAction {
  Put?: ExpressionParts & { Item: Key };
  Update?: ExpressionParts & { Key: Key; UpdateExpression: string };
  Delete?: ExpressionParts & { Key: Key };
  ConditionCheck?: ExpressionParts & { Key: Key };
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** A running proxy in front of dynalite. */
export interface TransactionalProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Puts an HTTP proxy in front of a dynalite server, which implements no transactions (it answers
 * TransactWriteItems with UnknownOperationException). The proxy serves one request at a time and implements
 * TransactWriteItems itself on dynalite's single-item operations: each action is applied in turn with its
 * condition, and if any condition fails every applied action is undone and the request is answered with
 * TransactionCanceledException and one cancellation reason per action, as DynamoDB does. Because no other
 * request runs meanwhile, the transaction is atomic and isolated for every client of the proxy. Everything else
 * is forwarded untouched.
 */
export async function startTransactionalProxy(
  dynalitePort: number,
  client: DynamoDBClient,
): Promise<TransactionalProxy> {
  const keyNames = new Map<string, string[]>();
  let tail: Promise<unknown> = Promise.resolve();
  /** Runs requests one after another, in arrival order. */
  function exclusive(task: () => Promise<Reply>): Promise<Reply> {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  }

  async function keyAttributes(table: string): Promise<string[]> {
    let names = keyNames.get(table);
    if (names === undefined) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
      names = (Table?.KeySchema ?? []).map((element) => element.AttributeName ?? '');
      keyNames.set(table, names);
    }
    return names;
  }

  async function targetOf(action: TransactWriteAction): Promise<{ table: string; key: Key }> {
    if (action.Put) {
      const names = await keyAttributes(action.Put.TableName);
      const key = Object.fromEntries(names.map((name) => [name, action.Put!.Item[name]!]));
      return { table: action.Put.TableName, key };
    }
    const keyed = action.Update ?? action.Delete ?? action.ConditionCheck;
    if (!keyed)
      throw new ProxyValidationError('a TransactItems entry needs Put, Update, Delete or ConditionCheck');
    return { table: keyed.TableName, key: keyed.Key };
  }

  async function restore(table: string, key: Key, before: Key | undefined): Promise<void> {
    if (before) await client.send(new PutItemCommand({ TableName: table, Item: before }));
    else await client.send(new DeleteItemCommand({ TableName: table, Key: key }));
  }

  async function apply(action: TransactWriteAction, key: Key, before: Key | undefined): Promise<void> {
    const expressions = (parts: ExpressionParts) => ({
      TableName: parts.TableName,
      ConditionExpression: parts.ConditionExpression,
      ExpressionAttributeNames: parts.ExpressionAttributeNames,
      ExpressionAttributeValues: parts.ExpressionAttributeValues,
    });
    if (action.Put) {
      await client.send(new PutItemCommand({ ...expressions(action.Put), Item: action.Put.Item }));
    } else if (action.Update) {
      await client.send(
        new UpdateItemCommand({
          ...expressions(action.Update),
          Key: action.Update.Key,
          UpdateExpression: action.Update.UpdateExpression,
        }),
      );
    } else if (action.Delete) {
      await client.send(new DeleteItemCommand({ ...expressions(action.Delete), Key: action.Delete.Key }));
    } else if (action.ConditionCheck) {
      // Evaluate the condition by rewriting the item as it is (or its bare key), then put things back.
      const check = action.ConditionCheck;
      await client.send(new PutItemCommand({ ...expressions(check), Item: before ?? key }));
      await restore(check.TableName, key, before);
    }
  }

  async function transactWrite(body: { TransactItems?: TransactWriteAction[] }): Promise<Reply> {
    const actions = body.TransactItems ?? [];
    if (actions.length === 0 || actions.length > MAX_TRANSACTION_ITEMS) {
      throw new ProxyValidationError(`TransactItems must hold 1 to ${MAX_TRANSACTION_ITEMS} actions`);
    }
    const targets = await Promise.all(actions.map(targetOf));
    const identities = targets.map((target) => JSON.stringify([target.table, sortedKey(target.key)]));
    if (new Set(identities).size !== identities.length) {
      throw new ProxyValidationError('Transaction request cannot include multiple operations on one item');
    }
    const applied: { table: string; key: Key; before: Key | undefined }[] = [];
    const reasons: { Code: string; Message?: string; Item?: Key }[] = [];
    try {
      for (const [index, action] of actions.entries()) {
        const { table, key } = targets[index]!;
        const { Item: before } = await client.send(
          new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }),
        );
        try {
          await apply(action, key, before);
          if (!action.ConditionCheck) applied.push({ table, key, before });
          reasons.push({ Code: 'None' });
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          const parts = action.Put ?? action.Update ?? action.Delete ?? action.ConditionCheck;
          const returnOld = parts?.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before !== undefined;
          reasons.push({
            Code: 'ConditionalCheckFailed',
            Message: 'The conditional request failed',
            ...(returnOld ? { Item: before } : {}),
          });
        }
      }
    } catch (error) {
      await undo(applied);
      throw error;
    }
    if (reasons.every((reason) => reason.Code === 'None')) return jsonReply(200, {});
    await undo(applied);
    const codes = reasons.map((reason) => reason.Code).join(', ');
    return errorReply('TransactionCanceledException', {
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
      CancellationReasons: reasons,
    });
  }

  async function undo(
    applied: readonly { table: string; key: Key; before: Key | undefined }[],
  ): Promise<void> {
    for (const entry of [...applied].reverse()) await restore(entry.table, entry.key, entry.before);
  }

  async function handle(
    headers: IncomingHttpHeaders,
    method: string,
    path: string,
    body: Buffer,
  ): Promise<Reply> {
    if (headers['x-amz-target'] !== 'DynamoDB_20120810.TransactWriteItems') {
      return forward(dynalitePort, headers, method, path, body);
    }
    try {
      return await transactWrite(
        JSON.parse(body.toString('utf8')) as { TransactItems?: TransactWriteAction[] },
      );
    } catch (error) {
      const name = (error as Error).name;
      const message = (error as Error).message;
      if (name === 'ValidationException' || error instanceof ProxyValidationError) {
        return errorReply('ValidationException', { message }, 'com.amazon.coral.validate#');
      }
      return errorReply(
        name,
        { message },
        ERROR_TYPE_PREFIX,
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      );
    }
  }

  const server: Server = createServer((incoming, outgoing) => {
    readBody(incoming)
      .then((body) =>
        exclusive(() => handle(incoming.headers, incoming.method ?? 'POST', incoming.url ?? '/', body)),
      )
      .then(
        (reply) => {
          outgoing.writeHead(reply.status, reply.headers);
          outgoing.end(reply.body);
        },
        (error: unknown) => {
          outgoing.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          outgoing.end(
            JSON.stringify({ __type: `${ERROR_TYPE_PREFIX}InternalServerError`, message: String(error) }),
          );
        },
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A request the proxy refuses as DynamoDB would, with a ValidationException. */
class ProxyValidationError extends Error {
  override readonly name = 'ProxyValidationError';
}

function sortedKey(key: Key): [string, AttributeValue][] {
  return Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function errorReply(
  name: string,
  fields: Record<string, unknown>,
  prefix = ERROR_TYPE_PREFIX,
  status = 400,
): Reply {
  return jsonReply(status, { __type: `${prefix}${name}`, ...fields }, { 'x-amzn-errortype': name });
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

function forward(
  port: number,
  headers: IncomingHttpHeaders,
  method: string,
  path: string,
  body: Buffer,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const upstream = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const replyHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && name !== 'connection' && name !== 'transfer-encoding') {
            replyHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
        }
        resolve({ status: response.statusCode ?? 500, headers: replyHeaders, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}
