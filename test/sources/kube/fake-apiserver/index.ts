export { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions, type RequestRecord } from './server.js';
export type { PolicyRule, UserSpec } from './auth.js';
export type { UsageTarget } from './cluster.js';
export type { AuthMethod, KubeconfigOptions } from './kubeconfig.js';
export type { Node, NodeMetrics, Pod, PodMetrics, Status, Table } from './k8s-types.js';
export type { NodeSpec } from './node-object.js';
export type { ContainerSpec, PodSpec } from './pod-object.js';
export type { UsageSpec } from './usage.js';
