import { DynamoPublicationLog } from '@shared/adapters/aws/dynamo-publication-log';
import { useAwsEmulators } from '../support/aws-emulators';
import { createTopologyTable } from './draft-store-table';
import { describePublicationLogContract } from './publication-log-contract';

const emulators = useAwsEmulators();

describePublicationLogContract('DynamoPublicationLog (dynalite)', async () => {
  const aws = emulators();
  const table = aws.uniqueName('publications');
  await createTopologyTable(aws.dynamo, table, 'publications');
  return {
    log: new DynamoPublicationLog({ documents: aws.documents, table }),
    cleanup: () => aws.deleteTables([table]),
  };
});
