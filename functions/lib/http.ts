import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A JSON response. */
export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

/** A 4xx response with the reason the request was refused. */
export function problem(statusCode: number, message: string): APIGatewayProxyStructuredResultV2 {
  return jsonResponse(statusCode, { error: message });
}

/** The request body parsed as JSON; undefined for an empty body. Throws BadRequestError for invalid JSON. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The request cannot be served as sent (HTTP 400). */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}
