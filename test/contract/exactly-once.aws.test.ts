import { DynamoPromotionStore } from '@shared/adapters/aws/dynamo-promotion-store';
import { DynamoSweepStore } from '@shared/adapters/aws/dynamo-sweep-store';
import { S3DatasetStore } from '@shared/adapters/aws/s3-dataset-store';
import { SqsQueue } from '@shared/adapters/aws/sqs-queue';
import { systemClock } from '@shared/ports/clock';
import { readBarsFile } from '../../local/market-data-file';
import { createStrategyResolver } from '../../local/strategy-loader';
import { useAwsEmulators } from '../support/aws-emulators';
import { SAMPLE_DIR } from '../support/sample-data';
import { describeExactlyOnceContract } from './exactly-once-contract';

const emulators = useAwsEmulators();

describeExactlyOnceContract('SQS queue, DynamoDB stores and S3 data sets (fauxqs, dynalite)', async () => {
  const aws = emulators();
  const queueName = aws.uniqueName('backtest-jobs');
  const deadLetterQueue = await aws.createQueue(`${queueName}-dlq`);
  const jobsQueue = await aws.createQueue(queueName, {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 5 }),
  });
  const tables = await aws.createSweepTables();
  const promotions = aws.uniqueName('promotions');
  await aws.createTable(promotions, 'market', 'sweepId');
  const bucket = aws.uniqueName('artifacts');
  await aws.createBucket(bucket);
  return {
    deps: {
      sweeps: new DynamoSweepStore({ documents: aws.documents, s3: aws.s3, tables, bucket }),
      datasets: new S3DatasetStore({ s3: aws.s3, bucket }),
      promotions: new DynamoPromotionStore({ documents: aws.documents, table: promotions }),
      jobs: new SqsQueue({ client: aws.sqs, queueUrl: jobsQueue.url, name: queueName }),
      strategies: createStrategyResolver(),
      clock: systemClock,
      readDatasetFile: readBarsFile,
    },
    dataDir: SAMPLE_DIR,
    cleanup: async () => {
      await aws.deleteQueues([jobsQueue.url, deadLetterQueue.url]);
      await aws.deleteTables([...Object.values(tables), promotions]);
    },
  };
});
