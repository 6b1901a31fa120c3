import { humanDuration } from './formats.js';
import type { ListMeta, Namespace, Node, Pod, Table, TableColumnDefinition } from './k8s-types.js';
import type { StoredObject } from './store.js';

/**
 * Server-side printing (pkg/printers/internalversion): `kubectl get` asks for a Table and prints its cells,
 * so the STATUS, ROLES, AGE columns come from here, as they do from a real API server.
 */

const NAME_DOC = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const column = (name: string, description: string, priority = 0, format = ''): TableColumnDefinition => ({
  name, type: 'string', format, description, priority,
});

const NODE_COLUMNS: TableColumnDefinition[] = [
  column('Name', NAME_DOC, 0, 'name'),
  column('Status', 'The status of the node'),
  column('Roles', 'The roles of the node'),
  column('Age', AGE_DOC),
  column('Version', 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'List of addresses reachable to the node.', 1),
  column('External-IP', 'List of addresses reachable to the node.', 1),
  column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
  column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
  column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
];

const POD_COLUMNS: TableColumnDefinition[] = [
  column('Name', NAME_DOC, 0, 'name'),
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  column('Age', AGE_DOC),
  column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
];

const NAMESPACE_COLUMNS: TableColumnDefinition[] = [
  column('Name', NAME_DOC, 0, 'name'),
  column('Status', 'The status of the namespace'),
  column('Age', AGE_DOC),
];

const age = (o: StoredObject, now: number): string => humanDuration(now - Date.parse(o.metadata.creationTimestamp));

function nodeCells(node: Node, now: number): string[] {
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec.unschedulable) status.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) {
      roles.add(k.slice('node-role.kubernetes.io/'.length));
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  const address = (type: string): string => node.status.addresses.find((a) => a.type === type)?.address ?? '<none>';
  const info = node.status.nodeInfo;
  return [
    node.metadata.name, status.join(','), [...roles].sort().join(',') || '<none>', age(node, now), info.kubeletVersion,
    address('InternalIP'), address('ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
}

/**
 * As the apiserver's printer (pkg/printers/internalversion printPod): the status is a waiting
 * container's reason where there is one, and the restarts say how long ago the last one ended.
 */
function podCells(pod: Pod, now: number): string[] {
  const statuses = pod.status.containerStatuses;
  const restarts = statuses.reduce((sum, s) => sum + s.restartCount, 0);
  const lastEnd = Math.max(0, ...statuses.map((s) => (s.lastState.terminated ? Date.parse(s.lastState.terminated.finishedAt) : 0)));
  const reason = [...statuses].reverse().find((s) => s.state.waiting)?.state.waiting?.reason;
  return [
    pod.metadata.name, `${statuses.filter((s) => s.ready).length}/${pod.spec.containers.length}`, reason ?? pod.status.phase,
    lastEnd > 0 ? `${restarts} (${humanDuration(now - lastEnd)} ago)` : String(restarts), age(pod, now), pod.status.podIP || '<none>', pod.spec.nodeName || '<none>', '<none>', '<none>',
  ];
}

const PRINTERS = {
  Node: { columns: NODE_COLUMNS, cells: (o: StoredObject, now: number) => nodeCells(o as Node, now) },
  Pod: { columns: POD_COLUMNS, cells: (o: StoredObject, now: number) => podCells(o as Pod, now) },
  Namespace: {
    columns: NAMESPACE_COLUMNS,
    cells: (o: StoredObject, now: number) => [o.metadata.name, (o as Namespace).status.phase, age(o, now)],
  },
};

export type TableKind = keyof typeof PRINTERS;

/** A Table of `objects`; the watch leaves out the column definitions after its first event, as the apiserver does. */
export function toTable(kind: TableKind, objects: StoredObject[], metadata: ListMeta, now: number, headers = true): Table {
  const printer = PRINTERS[kind];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: headers ? printer.columns : null,
    rows: objects.map((o) => ({
      cells: printer.cells(o, now),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
