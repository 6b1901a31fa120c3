import type { ServerResponse } from 'node:http';
import type { Status, StatusDetails } from './k8s-types.js';

/** A metav1.Status failure, thrown by handlers and written by the router as the API server would. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

function status(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const out: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) out.details = details;
  return out;
}

/** apierrors.NewForbidden: `qualified "name" is forbidden: <why>`. */
function qualified(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

function groupResourceDetails(group: string, resource: string, name: string): StatusDetails {
  const details: StatusDetails = {};
  if (name) details.name = name;
  if (group) details.group = group;
  details.kind = resource;
  return details;
}

export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized');

export function forbidden(group: string, resource: string, name: string, why: string): Status {
  const target = qualified(group, resource);
  const message = name ? `${target} "${name}" is forbidden: ${why}` : `${target} is forbidden: ${why}`;
  return status(403, 'Forbidden', message, groupResourceDetails(group, resource, name));
}

export function forbiddenPath(why: string): Status {
  return status(403, 'Forbidden', `forbidden: ${why}`, {});
}

export function notFound(group: string, resource: string, name: string): Status {
  return status(404, 'NotFound', `${qualified(group, resource)} "${name}" not found`, groupResourceDetails(group, resource, name));
}

/** What the end of the apiserver's handler chain answers for a path nothing serves. */
export const noSuchResource = (): Status => status(404, 'NotFound', 'the server could not find the requested resource');

export const methodNotAllowed = (): Status =>
  status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

/** The watch cache's answer for a resourceVersion older than its history. */
export const expired = (message: string): Status => status(410, 'Expired', message);

export const badRequest = (message: string): Status => status(400, 'BadRequest', message);

export const internalError = (message: string): Status => status(500, 'InternalError', `Internal error occurred: ${message}`);

export const serviceUnavailable = (message: string): Status => status(503, 'ServiceUnavailable', message);

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendStatus(res: ServerResponse, s: Status): void {
  sendJson(res, s.code, s);
}
