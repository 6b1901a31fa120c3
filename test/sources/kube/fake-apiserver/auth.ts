import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestInfo } from './request-info.js';
import { forbidden, forbiddenPath } from './status.js';
import type { Status } from './k8s-types.js';

/** An RBAC PolicyRule, reduced to what these tests need. */
export interface PolicyRule {
  verbs: string[];
  /** "nodes", "nodes/proxy", "*", "*\/proxy". */
  resources: string[];
  /** Default: the core group only, as a rule with `apiGroups: [""]`. */
  apiGroups?: string[];
}

export interface UserSpec {
  name: string;
  token?: string;
  groups?: string[];
  /** What the user may do; omitted, everything (cluster-admin). */
  rules?: PolicyRule[];
}

export interface Identity {
  name: string;
  groups: string[];
  via: 'token' | 'certificate';
}

/** Paths system:discovery and system:public-info-viewer open to every authenticated user. */
const DISCOVERY_PATHS = [/^\/api(\/.*)?$/, /^\/apis(\/.*)?$/, /^\/version\/?$/, /^\/(healthz|livez|readyz)$/, /^\/openapi(\/.*)?$/];

/**
 * The union authenticator in the apiserver's order: a client certificate signed by the CA first, then a bearer
 * token. A certificate's CN is the user name and its O fields the groups.
 */
export function authenticate(req: IncomingMessage, users: readonly UserSpec[]): Identity | undefined {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const subject = socket.getPeerCertificate().subject;
    const cn = subject?.CN;
    if (typeof cn === 'string' && cn) {
      const org = subject.O;
      const groups = Array.isArray(org) ? org : org ? [org] : [];
      return { name: cn, groups: [...groups, 'system:authenticated'], via: 'certificate' };
    }
  }
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const user = m ? users.find((u) => u.token !== undefined && u.token === m[1]) : undefined;
  if (!user) return undefined;
  return { name: user.name, groups: [...(user.groups ?? []), 'system:authenticated'], via: 'token' };
}

function ruleAllows(rule: PolicyRule, info: RequestInfo): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(info.verb)) return false;
  const groups = rule.apiGroups ?? [''];
  if (!groups.includes('*') && !groups.includes(info.apiGroup)) return false;
  const combined = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  return rule.resources.some(
    (r) => r === '*' || r === combined || (info.subresource !== '' && r === `*/${info.subresource}`),
  );
}

/** RBAC's decision and, when it says no, the Forbidden Status the apiserver writes. */
export function authorize(identity: Identity, info: RequestInfo, users: readonly UserSpec[]): Status | undefined {
  if (identity.groups.includes('system:masters')) return undefined;
  const rules = users.find((u) => u.name === identity.name)?.rules;
  if (!rules) return undefined;
  if (!info.isResourceRequest) {
    if (info.verb === 'get' && DISCOVERY_PATHS.some((p) => p.test(info.path))) return undefined;
    return forbiddenPath(`User "${identity.name}" cannot ${info.verb} path "${info.path}"`);
  }
  if (rules.some((rule) => ruleAllows(rule, info))) return undefined;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const scope = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  const why = `User "${identity.name}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}" ${scope}`;
  return forbidden(info.apiGroup, info.resource, info.name, why);
}
