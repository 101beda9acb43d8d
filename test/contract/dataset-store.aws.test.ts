import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';
import { S3DatasetStore } from '@shared/adapters/aws/s3-dataset-store';
import { useAwsEmulators } from '../support/aws-emulators';
import { barsFrom } from '../support/bars';
import { describeDatasetStoreContract } from './dataset-store-contract';

const emulators = useAwsEmulators();

describeDatasetStoreContract('S3DatasetStore (fauxqs S3)', async () => {
  const aws = emulators();
  const bucket = aws.uniqueName('artifacts');
  await aws.createBucket(bucket);
  return { store: new S3DatasetStore({ s3: aws.s3, bucket }), cleanup: async () => {} };
});

describe('S3DatasetStore storage layout (AWS only)', () => {
  it('stores datasets/<hash>.bin of 48 bytes a bar, with market, name and length as metadata', async () => {
    // Prepare
    const aws = emulators();
    const bucket = aws.uniqueName('artifacts');
    await aws.createBucket(bucket);
    const store = new S3DatasetStore({ s3: aws.s3, bucket });

    // Act
    await store.put({
      hash: 'abc123',
      market: 'ETH/BTC',
      name: 'ETH_BTC-5m.json',
      bars: barsFrom([1, 2, 3]),
    });

    // Assess
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'datasets/abc123.bin' }));
    expect(head.ContentLength).toBe(3 * 6 * 8);
    expect(head.Metadata).toEqual({ market: 'ETH%2FBTC', name: 'ETH_BTC-5m.json', length: '3' });
  });
});
