import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { QueueDeleteError, QueueSendError, SqsQueue } from '@shared/adapters/aws/sqs-queue';
import { MAX_MESSAGE_BYTES, MessageTooLargeError } from '@shared/ports/queue';
import { mockClient } from 'aws-sdk-client-mock';
import { EMULATOR_REGION, useAwsEmulators } from '../support/aws-emulators';
import { describeQueueContract } from './queue-contract';

const emulators = useAwsEmulators();

describeQueueContract('SqsQueue (fauxqs)', async () => {
  const aws = emulators();
  const name = aws.uniqueName('backtest-jobs');
  const deadLetterQueue = await aws.createQueue(`${name}-dlq`, { VisibilityTimeout: '1' });
  const sourceQueue = await aws.createQueue(name, {
    VisibilityTimeout: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 2 }),
  });
  return {
    queue: new SqsQueue({ client: aws.sqs, queueUrl: sourceQueue.url, name }),
    deadLetters: new SqsQueue({ client: aws.sqs, queueUrl: deadLetterQueue.url, name: `${name}-dlq` }),
    cleanup: () => aws.deleteQueues([sourceQueue.url, deadLetterQueue.url]),
  };
});

/** An SQS error as the SDK raises it for a service answer. */
function sqsError(name: string, message: string): SQSServiceException {
  return new SQSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

describe('SqsQueue commands (AWS only, mocked SQS)', () => {
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/backtest-jobs';
  const client = new SQSClient({
    region: EMULATOR_REGION,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const sqs = mockClient(client);
  const queue = new SqsQueue({ client, queueUrl, name: 'backtest-jobs' });

  beforeEach(() => {
    sqs.reset();
  });

  it('sends in SendMessageBatch calls of 10 and returns the message ids in order', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: [...input.Entries]
        .reverse()
        .map((entry) => ({ Id: entry.Id, MessageId: `id-${entry.Id}` })),
      Failed: [],
    }));
    const bodies = Array.from({ length: 23 }, (_, index) => `job ${index}`);

    // Act
    const ids = await queue.send(bodies);

    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((input) => input.QueueUrl === queueUrl)).toBe(true);
    expect(calls[2]?.Entries).toEqual([
      { Id: '20', MessageBody: 'job 20' },
      { Id: '21', MessageBody: 'job 21' },
      { Id: '22', MessageBody: 'job 22' },
    ]);
    expect(ids).toEqual(bodies.map((_, index) => `id-${index}`));
  });

  it('names the entries SQS refused, with their codes, after sending the rest', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'id-0', MD5OfMessageBody: '' }],
      Failed: [
        { Id: '1', Code: 'InvalidMessageContents', Message: 'Invalid characters found.', SenderFault: true },
      ],
    });

    // Act
    const sending = queue.send(['fine', 'bad \u0000 body']);

    // Assess
    await expect(sending).rejects.toThrow(QueueSendError);
    await expect(queue.send(['fine', 'bad'])).rejects.toThrow(
      '1 of 2 messages for queue "backtest-jobs" were not sent: message 1 (InvalidMessageContents: Invalid characters found.)',
    );
  });

  it('refuses a body over 256 KiB before sending anything', async () => {
    // Act
    const sending = queue.send(['small', 'x'.repeat(MAX_MESSAGE_BYTES + 1)]);

    // Assess
    await expect(sending).rejects.toThrow(MessageTooLargeError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('receives with the receive count and sent timestamp attributes, the wait and the visibility timeout', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: 'm-1',
          Body: 'job',
          ReceiptHandle: 'handle-1',
          Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1767603600000' },
        },
      ],
    });

    // Act
    const messages = await queue.receive({ maxMessages: 10, waitSeconds: 20, visibilityTimeoutSeconds: 720 });

    // Assess
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      WaitTimeSeconds: 20,
      VisibilityTimeout: 720,
    });
    expect(messages).toEqual([
      {
        messageId: 'm-1',
        body: 'job',
        receiptHandle: 'handle-1',
        receiveCount: 3,
        sentTimestamp: 1767603600000,
      },
    ]);
  });

  it('deletes in DeleteMessageBatch calls of 10, ignoring invalid receipt handles but not other failures', async () => {
    // Prepare
    sqs
      .on(DeleteMessageBatchCommand)
      .resolvesOnce({
        Successful: [],
        Failed: [
          {
            Id: '3',
            Code: 'ReceiptHandleIsInvalid',
            Message: 'The receipt handle is not valid',
            SenderFault: true,
          },
        ],
      })
      .resolvesOnce({ Successful: [], Failed: [] })
      .resolves({
        Successful: [],
        Failed: [{ Id: '0', Code: 'AccessDenied', Message: 'not allowed', SenderFault: true }],
      });
    const handles = Array.from({ length: 12 }, (_, index) => `handle-${index}`);

    // Act
    await queue.delete(handles);
    const failing = queue.delete(['handle-x']);

    // Assess
    const calls = sqs
      .commandCalls(DeleteMessageBatchCommand)
      .map((call) => call.args[0].input.Entries?.length);
    expect(calls.slice(0, 2)).toEqual([10, 2]);
    await expect(failing).rejects.toThrow(QueueDeleteError);
    await expect(queue.delete(['handle-y'])).rejects.toThrow(/message 0 \(AccessDenied: not allowed\)/);
  });

  it.each([
    ['MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.'],
    ['ReceiptHandleIsInvalid', 'The input receipt handle is invalid.'],
    [
      'InvalidParameterValue',
      'Value handle for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.',
    ],
  ])('ignores %s from ChangeMessageVisibility, as the port documents', async (name, message) => {
    // Prepare
    sqs.on(ChangeMessageVisibilityCommand).rejects(sqsError(name, message));

    // Act
    const changing = queue.changeVisibility('stale-handle', 0);

    // Assess
    await expect(changing).resolves.toBeUndefined();
  });

  it('passes on other ChangeMessageVisibility errors', async () => {
    // Prepare
    sqs.on(ChangeMessageVisibilityCommand).rejects(sqsError('AccessDenied', 'not allowed'));

    // Act
    const changing = queue.changeVisibility('handle', 0);

    // Assess
    await expect(changing).rejects.toThrow('not allowed');
  });

  it('refuses receive options SQS would refuse, without calling it', async () => {
    // Act
    const tooMany = queue.receive({ maxMessages: 11 });
    const tooLong = queue.receive({ maxMessages: 1, waitSeconds: 21 });

    // Assess
    await expect(tooMany).rejects.toThrow(/maxMessages must be a whole number from 1 to 10/);
    await expect(tooLong).rejects.toThrow(/waitSeconds must be a whole number of seconds from 0 to 20/);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });
});
