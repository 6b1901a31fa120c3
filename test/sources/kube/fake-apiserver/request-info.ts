/** The apiserver's RequestInfo: what a request asks for, which authorization and routing both use. */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** What follows the subresource: the path a proxy request forwards. */
  rest: string;
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

function fieldSelectorName(query: URLSearchParams): string {
  const m = /^metadata\.name==?([^,]+)$/.exec(query.get('fieldSelector') ?? '');
  return m?.[1] ?? '';
}

/** Follows k8s.io/apiserver/pkg/endpoints/request.RequestInfoFactory for the paths this server knows. */
export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '', rest: '',
  };
  let parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'api') {
    if (parts.length < 3) return info;
    info.apiVersion = parts[1] ?? '';
    parts = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length < 4) return info;
    info.apiGroup = parts[1] ?? '';
    info.apiVersion = parts[2] ?? '';
    parts = parts.slice(3);
  } else {
    return info;
  }
  info.isResourceRequest = true;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    info.namespace = parts[1] ?? '';
    parts = parts.slice(2);
  } else if (parts[0] === 'namespaces' && parts.length === 2) {
    info.namespace = parts[1] ?? '';
  }
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts[2] ?? '';
  info.rest = parts.slice(3).join('/');

  const watching = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
  if (method === 'GET') {
    info.verb = info.name ? 'get' : watching ? 'watch' : 'list';
  } else {
    info.verb = METHOD_VERBS[method] ?? method.toLowerCase();
    if (method === 'DELETE' && !info.name) info.verb = 'deletecollection';
  }
  // A list or watch narrowed to one object by metadata.name is authorized as that object.
  if ((info.verb === 'list' || info.verb === 'watch') && !info.name) info.name = fieldSelectorName(url.searchParams);
  return info;
}
