import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../../events/metrics';

/** The service name every log line and metric carries. */
export const SERVICE_NAME = 'flywheel';

/** The one Powertools logger of a Lambda, created once per container. */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** The one Powertools metrics instance of a Lambda (CloudWatch embedded metric format), created once per container. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
