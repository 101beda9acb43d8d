import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { awsSweepDependencies } from '../lib/aws-dependencies';
import { lambda } from '../lib/lambda';
import { createSweepReader } from './app';

const reader = createSweepReader(awsSweepDependencies());

/** `sweep-read`: GET /sweeps and GET /sweeps/{id}. */
export const handler = lambda(async (event: APIGatewayProxyEventV2) => reader.http(event));
