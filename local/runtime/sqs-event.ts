import { createHash } from 'node:crypto';
import type { ReceivedMessage } from '@shared/ports/queue';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The ARN a local queue's records carry, shaped like a real one. */
export function localQueueArn(queueName: string): string {
  return `arn:aws:sqs:local:000000000000:${queueName}`;
}

/** Received messages as the SQS event a Lambda event source mapping would deliver. */
export function toSqsEvent(
  queueName: string,
  messages: readonly ReceivedMessage[],
  receivedAt: number,
): SQSEvent {
  const Records: SQSRecord[] = messages.map((message) => ({
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(receivedAt),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: localQueueArn(queueName),
    awsRegion: 'local',
  }));
  return { Records };
}
