import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDefinition, type TableName } from '../../events/topology';

/**
 * Creates a table on the emulator exactly as events/topology.ts declares it (keys and global secondary
 * indexes), so the adapter is tested against the table the stack deploys.
 */
export async function createTopologyTable(
  dynamo: DynamoDBClient,
  name: string,
  table: TableName,
): Promise<void> {
  const definition: TableDefinition = TABLES[table];
  const attributes = new Map<string, 'S' | 'N'>([[definition.partitionKey, 'S']]);
  if (definition.sortKey) attributes.set(definition.sortKey, 'S');
  const indexes: GlobalSecondaryIndex[] = Object.entries(definition.indexes ?? {}).map(
    ([indexName, index]) => {
      attributes.set(index.partitionKey, 'S');
      attributes.set(index.sortKey, index.sortKeyType === 'string' ? 'S' : 'N');
      return {
        IndexName: indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      };
    },
  );
  const AttributeDefinitions: AttributeDefinition[] = [...attributes].map(
    ([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    }),
  );
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: definition.partitionKey, KeyType: 'HASH' },
        ...(definition.sortKey ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      AttributeDefinitions,
      ...(indexes.length ? { GlobalSecondaryIndexes: indexes } : {}),
    }),
  );
}
