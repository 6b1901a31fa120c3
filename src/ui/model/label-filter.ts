/**
 * The filter's label form, as kubectl's -l: `role=worker`,
 * `topology.kubernetes.io/zone=us-east-1a`, `key!=value`, several joined by commas, every one must hold.
 */
import type { KubeNodeInfo } from '../../metrics/kube-figures.js';
import { NO_ROLE } from './kube-model.js';

export interface LabelledNode {
  /** The target's own labels (discovery, Prometheus). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly kube?: KubeNodeInfo | null;
}

export type NodeTest = (node: LabelledNode) => boolean;

/** A Kubernetes label name: an optional DNS-subdomain prefix and `/`, then a name segment. */
const LABEL_NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const TERM = /^([^=!]+?)\s*(!=|==|=)\s*(.*)$/;

function termTest(key: string, value: string): NodeTest {
  // Values are compared without case: a zone typed as US-EAST-1A is still the zone.
  const want = value.toLowerCase();
  const same = (v: string | undefined): boolean => v !== undefined && v.toLowerCase() === want;
  return (node) => {
    if (same(node.kube?.labels[key]) || same(node.labels?.[key])) return true;
    // `role` is the roles kubectl shows, which come from node-role.kubernetes.io/<role> label names.
    if (key !== 'role' || !node.kube) return false;
    const roles = node.kube.roles;
    return roles.length === 0 ? want === NO_ROLE : roles.some((r) => r.toLowerCase() === want);
  };
}

/** The test for label filter text, or null when the text is not one (then it is a name filter). */
export function parseLabelFilter(text: string): NodeTest | null {
  const tests: NodeTest[] = [];
  for (const term of text.split(',')) {
    const m = TERM.exec(term.trim());
    const key = m?.[1];
    if (!m || key === undefined || !LABEL_NAME.test(key)) return null;
    const test = termTest(key, (m[3] ?? '').trim());
    tests.push(m[2] === '!=' ? (node) => !test(node) : test);
  }
  return (node) => tests.every((t) => t(node));
}
