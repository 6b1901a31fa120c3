/** Discovery documents: the legacy ones and the aggregated (apidiscovery.k8s.io) ones kubectl 1.26+ asks for first. */

interface ResourceDef {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const CORE: ResourceDef[] = [
  { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'], storageVersionHash: 'Q3oi5N2YM8M=' },
  { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: RW, shortNames: ['no'], storageVersionHash: 'XwShjMxG9Fs=' },
  { name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  { name: 'nodes/status', singularName: '', namespaced: false, kind: 'Node', verbs: ['get', 'patch', 'update'] },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: RW, shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=' },
];

const METRICS: ResourceDef[] = [
  { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
  { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
];

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

export const aggregatedContentType = (version: string): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

export function versionInfo(gitVersion: string): Record<string, string> {
  const [, major = '1', minor = '0'] = /^v(\d+)\.(\d+)/.exec(gitVersion) ?? [];
  return {
    major, minor, gitVersion, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean',
    buildDate: '2025-04-22T16:02:27Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

const metricsGroupVersion = { groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, version: METRICS_VERSION };

export function metricsApiGroup(): object {
  return { kind: 'APIGroup', apiVersion: 'v1', name: METRICS_GROUP, versions: [metricsGroupVersion], preferredVersion: metricsGroupVersion };
}

export function apiGroupList(metricsApi: boolean): object {
  const groups = metricsApi ? [{ name: METRICS_GROUP, versions: [metricsGroupVersion], preferredVersion: metricsGroupVersion }] : [];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

// The legacy core list has no apiVersion of its own; group lists do.
export const coreResources = (): object => ({ kind: 'APIResourceList', groupVersion: 'v1', resources: CORE });
export const metricsResources = (): object => ({
  kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, resources: METRICS,
});

/** One group's resources in apidiscovery.k8s.io/v2 form: subresources folded under their parent. */
function discoveryVersion(version: string, resources: ResourceDef[]): object {
  const kindRef = (kind: string): object => ({ group: '', version: '', kind });
  const top = resources.filter((r) => !r.name.includes('/'));
  return {
    version,
    resources: top.map((r) => {
      const subresources = resources
        .filter((s) => s.name.startsWith(`${r.name}/`))
        .map((s) => ({ subresource: s.name.slice(r.name.length + 1), responseKind: kindRef(s.kind), verbs: s.verbs }));
      return {
        resource: r.name,
        responseKind: kindRef(r.kind),
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.singularName,
        verbs: r.verbs,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
        ...(subresources.length ? { subresources } : {}),
      };
    }),
    freshness: 'Current',
  };
}

export function aggregatedCore(version: string): object {
  return {
    kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {},
    items: [{ metadata: { creationTimestamp: null }, versions: [discoveryVersion('v1', CORE)] }],
  };
}

export function aggregatedGroups(version: string, metricsApi: boolean): object {
  const items = metricsApi
    ? [{ metadata: { name: METRICS_GROUP, creationTimestamp: null }, versions: [discoveryVersion(METRICS_VERSION, METRICS)] }]
    : [];
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
