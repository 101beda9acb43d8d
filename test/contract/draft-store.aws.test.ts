import { describe, expect, it } from '@jest/globals';
import { DRAFT_INDEXES, DynamoDraftStore } from '@shared/adapters/aws/dynamo-draft-store';
import { TABLES } from '../../events/topology';
import { useAwsEmulators } from '../support/aws-emulators';
import { describeDraftStoreContract } from './draft-store-contract';
import { createTopologyTable } from './draft-store-table';

const emulators = useAwsEmulators();

describeDraftStoreContract('DynamoDraftStore (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('drafts');
  await createTopologyTable(aws.dynamo, table, 'drafts');
  return {
    store: new DynamoDraftStore({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});

describe('DynamoDraftStore and the topology', () => {
  it('queries the indexes the topology declares on the drafts table', () => {
    // Assess
    for (const index of Object.values(DRAFT_INDEXES)) {
      expect(TABLES.drafts.indexes[index.name]).toEqual({
        partitionKey: index.partitionKey,
        sortKey: index.sortKey,
      });
    }
    expect(TABLES.drafts.partitionKey).toBe('draftId');
  });
});
