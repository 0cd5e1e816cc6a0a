/**
 * What went wrong in an AWS call, in words a person can act on. The SDK reports errors by
 * `name` (the service's error code) and `$metadata.httpStatusCode`; credentials and region
 * problems come from the SDK itself before any request is sent.
 */

export type AwsFailureKind =
  | 'throttled'
  | 'access_denied'
  | 'no_credentials'
  | 'no_region'
  | 'not_found'
  | 'rejected'
  | 'other';

export interface AwsFailure {
  kind: AwsFailureKind;
  /** The service's error code or the SDK's error name, e.g. "ThrottlingException". */
  code: string;
  message: string;
}

/** Error codes that mean "slow down and try again" (Logs: LimitExceeded = too many queries). */
const RETRYABLE_CODES = new Set([
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailableException',
  'ServiceUnavailable',
]);

const ACCESS_DENIED_CODES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

export function classifyAwsError(error: unknown): AwsFailure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const code = typeof record.name === 'string' ? record.name : 'Error';
  const message = typeof record.message === 'string' ? firstLine(record.message) : String(error);
  const httpStatus = record.$metadata?.httpStatusCode;
  if (RETRYABLE_CODES.has(code) || httpStatus === 429) return { kind: 'throttled', code, message };
  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return { kind: 'no_credentials', code, message };
  }
  if (/region is missing/i.test(message)) return { kind: 'no_region', code, message };
  if (ACCESS_DENIED_CODES.has(code) || httpStatus === 403) return { kind: 'access_denied', code, message };
  if (code === 'ResourceNotFoundException' || code === 'ResourceNotFound') return { kind: 'not_found', code, message };
  if (
    code === 'MalformedQueryException' ||
    code === 'InvalidParameterException' ||
    code === 'InvalidParameterValue' ||
    code === 'InvalidParameterCombination' ||
    code === 'InvalidNextToken'
  ) {
    return { kind: 'rejected', code, message };
  }
  return { kind: 'other', code, message };
}

/**
 * One sentence for a failed call: what failed, and what to do about it (the permissions to
 * grant, the credential chain, the region setting).
 */
export function describeAwsFailure(failure: AwsFailure, what: string, permissions: readonly string[]): string {
  switch (failure.kind) {
    case 'no_credentials':
      return `${what}: no AWS credentials found (standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, web identity, or an instance/task role); give credentials allowed ${permissions.join(', ')}`;
    case 'no_region':
      return `${what}: no AWS region; set aws.region in the config or AWS_REGION`;
    case 'access_denied':
      return `${what}: access denied (${failure.code}); the credentials need ${permissions.join(', ')}`;
    case 'not_found':
      return `${what}: not found (${failure.message}); check the name and the region`;
    case 'throttled':
      return `${what}: throttled by AWS (${failure.code}) until the deadline; try again in a minute`;
    case 'rejected':
      return `${what}: rejected by AWS (${failure.code}: ${failure.message})`;
    case 'other':
      return `${what}: ${failure.code}: ${failure.message}`;
  }
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline < 0 ? text : text.slice(0, newline);
}
