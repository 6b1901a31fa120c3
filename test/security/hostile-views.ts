/**
 * The hostile strings of hostile.ts in the text of the process, container and GPU views: a
 * foreign `cluster-top agent` (its cluster_top_process_* families, with command lines that hold
 * secrets it did not mask), and beside a node_exporter on its host a cAdvisor (its own golden
 * payload, test/fixtures/cadvisor), a prometheus-process-exporter and a dcgm-exporter (Datadog's
 * captured payload, test/fixtures/gpu), each payload in its exporter's format.
 */
import { readFileSync } from 'node:fs';
import type { Endpoint } from '../helpers/http-endpoints.js';
import { AGENT_PROCESS_FAMILIES as A, NAMEDPROCESS_FAMILIES as N } from '../../src/metrics/process-figures.js';
import { visible } from '../../src/util/visible-text.js';
import { HOSTILE as H } from './hostile.js';
import { nodeExporterText, text, type HostileSource } from './hostile-sources.js';
import { HOSTILE_GPU_SOURCES } from './hostile-gpu.js';

const ALERT = ['--alert', 'up>=0'];
const UNCARRIED = { names: ['cr'], why: 'the exposition format has no escape for CR, and a raw one ends the line' } as const;

/** A label value as the text exposition format writes it: only backslash, quote and newline have escapes. */
const quoted = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

const labels = (set: Readonly<Record<string, string>>): string =>
  `{${Object.entries(set)
    .map(([k, v]) => `${k}=${quoted(v)}`)
    .join(',')}}`;

const closeAll = (endpoints: readonly Endpoint[]): Promise<void> => Promise.all(endpoints.map((e) => e.close())).then(() => undefined);

/** Secrets on foreign command lines: none may reach any output, in any form. */
const PASSWORD = 'hunter2';
const AWS_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCY';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0';

export interface AgentProcess {
  readonly pid: number;
  readonly comm: string;
  readonly user: string;
  readonly state: string;
  readonly args: string;
}

/** The families `cluster-top agent --process-args` writes (src/agent/process-families.ts), for these processes and groups. */
export function agentProcessText(processes: readonly AgentProcess[], groups: readonly string[]): string {
  const lines: string[] = [];
  const family = (name: string, type: string, rows: readonly string[]): void => {
    lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} ${type}`, ...rows);
  };
  const ids = (p: AgentProcess): Record<string, string> => ({ pid: String(p.pid), comm: p.comm, user: p.user });
  family(A.cpu, 'counter', processes.map((p, i) => `${A.cpu}${labels(ids(p))} ${10 + i}`));
  family(A.memory, 'gauge', processes.map((p, i) => `${A.memory}${labels(ids(p))} ${(i + 1) * 1e8}`));
  family(A.threads, 'gauge', processes.map((p) => `${A.threads}${labels(ids(p))} 4`));
  family(A.start, 'gauge', processes.map((p) => `${A.start}${labels(ids(p))} 1.7e9`));
  family(A.info, 'gauge', processes.map((p) => `${A.info}${labels({ ...ids(p), ppid: '1', state: p.state, args: p.args })} 1`));
  family(A.groupCpu, 'counter', groups.map((g) => `${A.groupCpu}${labels({ comm: g })} 5`));
  family(A.groupMemory, 'gauge', groups.map((g) => `${A.groupMemory}${labels({ comm: g })} 2e8`));
  family(A.groupThreads, 'gauge', groups.map((g) => `${A.groupThreads}${labels({ comm: g })} 3`));
  family(A.groupCount, 'gauge', groups.map((g) => `${A.groupCount}${labels({ comm: g })} 2`));
  family(A.total, 'gauge', [`${A.total} ${processes.length + 100}`]);
  return `${lines.join('\n')}\n`;
}

/** A foreign agent: node families and its processes, their command lines served unmasked. */
const agent: HostileSource = {
  name: 'a foreign cluster-top agent (processes)',
  async start() {
    const comm1 = `evil${H.oscTitle}`;
    const user1 = `r${H.del}`;
    const comm2 = `w${H.csi}x`;
    const user2 = `u${H.zeroWidth}`;
    const state2 = `S${H.del}`;
    const args1 = `/bin/evil${H.osc52} ${H.bidi} --password=${PASSWORD} AWS_SECRET_ACCESS_KEY=${AWS_KEY} -H Authorization: Bearer ${BEARER} --next`;
    const args2 = `sh -c ${H.forgedRow}${H.sgr} --password  ${PASSWORD}`;
    const group1 = `grp${H.osc52}`;
    const group2 = `tab${H.tab}x`;
    const processes: AgentProcess[] = [
      { pid: 101, comm: comm1, user: user1, state: 'R', args: args1 },
      { pid: 102, comm: comm2, user: user2, state: state2, args: args2 },
    ];
    const endpoint = await text(nodeExporterText('agent-node') + agentProcessText(processes, [group1, group2]));
    // What the reader keeps of the command lines: the secrets masked (src/util/secret-args.ts), then made visible.
    const shownArgs1 = visible(`/bin/evil${H.osc52} ${H.bidi} --password=*** AWS_SECRET_ACCESS_KEY=*** -H Authorization: *** --next`);
    const shownArgs2 = visible(`sh -c ${H.forgedRow}${H.sgr} --password  ***`);
    return {
      args: [endpoint.url, '-i', '200ms', ...ALERT],
      probes: [
        { text: comm1, in: ['store', 'json', 'frames'] },
        { text: user1, in: ['store', 'json', 'frames'] },
        { text: comm2, in: ['store', 'json', 'frames'] },
        { text: user2, in: ['store', 'json', 'frames'] },
        { text: state2, in: ['store'] },
        { text: args1, in: ['store', 'json', 'frames'], as: { store: shownArgs1, json: shownArgs1, frames: shownArgs1 } },
        { text: args2, in: ['store', 'json', 'frames'], as: { store: shownArgs2, json: shownArgs2, frames: shownArgs2 } },
        { text: group1, in: ['store', 'frames'] },
        { text: group2, in: ['store', 'frames'] },
      ],
      uncarried: UNCARRIED,
      secrets: [PASSWORD, AWS_KEY, BEARER],
      close: () => endpoint.close(),
    };
  },
};

/** prometheus-process-exporter's families for these group names (its `{{.Comm}}` groups). */
function processExporterText(groups: readonly string[]): string {
  const lines: string[] = [];
  for (const [name, type] of [
    [N.count, 'gauge'],
    [N.cpu, 'counter'],
    [N.memory, 'gauge'],
    [N.threads, 'gauge'],
    [N.start, 'gauge'],
  ] as const) {
    lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} ${type}`);
    for (const g of groups) {
      if (name === N.cpu) lines.push(`${name}${labels({ groupname: g, mode: 'system' })} 1.5`, `${name}${labels({ groupname: g, mode: 'user' })} 3.25`);
      else if (name === N.memory) lines.push(`${name}${labels({ groupname: g, memtype: 'resident' })} 4.2e+07`, `${name}${labels({ groupname: g, memtype: 'virtual' })} 9e+08`);
      else lines.push(`${name}${labels({ groupname: g })} ${name === N.start ? '1.7e+09' : '2'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Every sample line of `payload` with `from` (a label as written) replaced by `to`'s label; fails when `from` is not there. */
function relabel(payload: string, from: string, to: string): string {
  if (!payload.includes(from)) throw new Error(`fixture lacks ${from}`);
  return payload.replaceAll(from, to);
}

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

/** cAdvisor, prometheus-process-exporter and dcgm-exporter beside a node_exporter on one host (all on 127.0.0.1). */
const companions: HostileSource = {
  name: 'cAdvisor, process-exporter and dcgm-exporter beside a node (containers, process groups, GPUs)',
  async start() {
    const name = `web${H.oscTitle}`;
    const image = `img${H.osc52}:1`;
    const project = `proj${H.bidi}`;
    const service = `svc${H.forgedRow}`;
    const group1 = `grp${H.sgr}`;
    const group2 = `g${H.zeroWidth}${H.tab}x`;
    const model = `Tesla${H.csi}T4`;
    const uuid = `GPU-${H.del}20c56d28`;
    const pod = `ray${H.sgr}`;
    const namespace = `ns${H.tab}llm`;
    const container = `c${H.bidi}w`;
    let cadvisor = fixture('cadvisor/cadvisor-testdata.prom');
    cadvisor = relabel(cadvisor, 'name="testcontaineralias"', `name=${quoted(name)}`);
    cadvisor = relabel(cadvisor, 'image="test"', `image=${quoted(image)}`);
    cadvisor = relabel(cadvisor, 'container_label_foo_label="bar"', `container_label_com_docker_compose_project=${quoted(project)},container_label_com_docker_compose_service=${quoted(service)}`);
    let dcgm = fixture('gpu/dcgm-datadog-t4.metrics');
    dcgm = relabel(dcgm, 'modelName="Tesla T4"', `modelName=${quoted(model)}`);
    dcgm = relabel(dcgm, 'UUID="GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e"', `UUID=${quoted(uuid)}`);
    dcgm = relabel(dcgm, 'container="ray-worker",namespace="ray-llm",pod="ray-1111111"', `container=${quoted(container)},namespace=${quoted(namespace)},pod=${quoted(pod)}`);
    // The node's own target first: a companion joins the first target of its host that is none.
    const endpoints = [await text(nodeExporterText('gpu-node')), await text(cadvisor), await text(processExporterText([group1, group2])), await text(dcgm)];
    return {
      args: [...endpoints.map((e) => e.url), '-i', '200ms', ...ALERT],
      probes: [
        { text: name, in: ['store', 'json', 'frames'] },
        { text: image, in: ['store', 'json', 'frames'] },
        { text: project, in: ['store', 'json', 'frames'] },
        { text: service, in: ['store', 'json', 'frames'] },
        { text: group1, in: ['store', 'json', 'frames'] },
        { text: group2, in: ['store', 'json', 'frames'] },
        { text: model, in: ['store', 'json', 'frames'] },
        // The GPU lines show the model and the pod, not the UUID nor the container.
        { text: uuid, in: ['store', 'json'] },
        { text: pod, in: ['store', 'json', 'frames'] },
        { text: namespace, in: ['store', 'json', 'frames'] },
        { text: container, in: ['store', 'json'] },
      ],
      uncarried: UNCARRIED,
      close: () => closeAll(endpoints),
    };
  },
};

/** With the GPU exporters' and nvidia-smi's text (hostile-gpu.ts). */
export const HOSTILE_VIEW_SOURCES: readonly HostileSource[] = [agent, companions, ...HOSTILE_GPU_SOURCES];
