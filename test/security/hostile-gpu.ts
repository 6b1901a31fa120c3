/**
 * The hostile strings of hostile.ts in the text GPU exporters give: model names, UUIDs, process
 * names, pod labels and host names, in an nvidia_gpu_exporter payload beside a node_exporter
 * (its captured H100 payload, test/fixtures/gpu), an AMD device-metrics-exporter alone on another
 * loopback host (its captured MI300X lines), and the CSV a fake `nvidia-smi` on PATH prints to
 * the local source (test/helpers/fake-nvidia-smi.ts). dcgm-exporter's labels are in hostile-views.ts.
 */
import { readFileSync } from 'node:fs';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { fakeNvidiaSmi } from '../helpers/fake-nvidia-smi.js';
import { HOSTILE as H } from './hostile.js';
import { nodeExporterText, text, type HostileSource } from './hostile-sources.js';

const ALERT = ['--alert', 'up>=0'];

/** A label value as the text exposition format writes it: only backslash, quote and newline have escapes. */
const quoted = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/gpu/${name}`, import.meta.url), 'utf8');

/** Every `from` (a label as written) in `payload` replaced by `to`; fails when `from` is not there. */
function relabel(payload: string, from: string, to: string): string {
  if (!payload.includes(from)) throw new Error(`fixture lacks ${from}`);
  return payload.replaceAll(from, to);
}

/** nvidia_gpu_exporter beside a node on 127.0.0.1; AMD's exporter alone on 127.0.0.2, a row of its own. */
const exporters: HostileSource = {
  name: "nvidia_gpu_exporter beside a node and AMD's device-metrics-exporter alone (GPU models, UUIDs, processes, pods)",
  async start() {
    const smiModel = `H100${H.oscTitle}x`;
    const smiUuid = `0000${H.bidi}`;
    const burn = `burn${H.osc52}${H.forgedRow}`;
    const memhog = `mem${H.tab}hog${H.zeroWidth}`;
    let smi = fixture('nvidia-gpu-exporter-h100-80gb-hbm3-590.48.01-load.metrics');
    smi = relabel(smi, 'name="NVIDIA H100 80GB HBM3"', `name=${quoted(smiModel)}`);
    smi = relabel(smi, 'uuid="00000000-0000-0000-0000-000000000000"', `uuid=${quoted(smiUuid)}`);
    smi = relabel(smi, 'process_name="./gpu_burn"', `process_name=${quoted(burn)}`);
    smi = relabel(smi, 'process_name="/root/tools/memhog"', `process_name=${quoted(memhog)}`);

    const amdModel = `MI300X${H.csi}OAM`;
    const amdUuid = `3dff${H.del}74a1`;
    const pod = `pod${H.sgr}`;
    const namespace = `ns${H.zeroWidth}x`;
    const container = `c${H.oscTitle}`;
    const host = `tw${H.bidi}038`;
    let amd = fixture('amd-device-metrics-mi300x.metrics');
    amd = relabel(amd, 'card_series="AMD Instinct MI300X OAM"', `card_series=${quoted(amdModel)}`);
    amd = relabel(amd, 'gpu_uuid="3dff74a1-0000-1000-80d3-0c4c1df1df58"', `gpu_uuid=${quoted(amdUuid)}`);
    amd = relabel(amd, 'container="workload"', `container=${quoted(container)}`);
    amd = relabel(amd, 'namespace="default"', `namespace=${quoted(namespace)}`);
    amd = relabel(amd, 'pod="high-utilization-57ls6"', `pod=${quoted(pod)}`);
    amd = relabel(amd, 'hostname="tw038"', `hostname=${quoted(host)}`);

    const endpoints: Endpoint[] = [await text(nodeExporterText('gpu-node')), await text(smi)];
    endpoints.push(await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(amd), { host: '127.0.0.2' }));
    return {
      args: [...endpoints.map((e) => e.url), '-i', '200ms', ...ALERT],
      probes: [
        // The GPU lines show the model, the pod and the processes; JSON has the UUID and the pod's container too.
        { text: smiModel, in: ['store', 'json', 'frames'] },
        { text: smiUuid, in: ['store', 'json'] },
        { text: burn, in: ['store', 'frames'] },
        { text: memhog, in: ['store', 'frames'] },
        { text: amdModel, in: ['store', 'json', 'frames'] },
        { text: amdUuid, in: ['store', 'json'] },
        { text: pod, in: ['store', 'json', 'frames'] },
        { text: namespace, in: ['store', 'json', 'frames'] },
        { text: container, in: ['store', 'json'] },
        // The exporter's own host name joins nothing here (the target's host does): kept, not shown.
        { text: host, in: ['store'] },
      ],
      uncarried: { names: ['cr'], why: 'the exposition format has no escape for CR, and a raw one ends the line' },
      close: () => Promise.all(endpoints.map((e) => e.close())).then(() => undefined),
    };
  },
};

/** This machine, read by the local source, with a fake nvidia-smi first on PATH while it collects. */
const nvidiaSmi: HostileSource = {
  name: 'a fake nvidia-smi on PATH (the local source)',
  async start() {
    const model = `A100${H.oscTitle}${H.csi}x`;
    const uuid = `GPU-${H.bidi}${H.del}1`;
    const app1 = `py${H.osc52}${H.sgr}`;
    const app2 = `t${H.tab}x${H.zeroWidth}${H.cr}y`;
    // index, uuid, name, utilization.gpu, utilization.memory, memory.total, memory.used, temperature.gpu, power.draw, power.limit, clocks.current.sm
    const gpuCsv = `0, ${uuid}, ${model}, 97, 40, 81920, 40000, 71, 390.5, 400.00, 1410\n`;
    const appsCsv = `${uuid}, 4242, ${app1}, 30000\n${uuid}, 4243, ${app2}, 10000\n`;
    const dir = fakeNvidiaSmi(gpuCsv, appsCsv);
    return {
      args: ['-i', '200ms', ...ALERT],
      probes: [
        { text: model, in: ['store', 'json', 'frames'] },
        { text: uuid, in: ['store', 'json'] },
        { text: app1, in: ['store', 'frames'] },
        { text: app2, in: ['store', 'frames'] },
      ],
      uncarried: { names: ['forgedRow'], why: "nvidia-smi's CSV has no escape for a newline: it would end the row" },
      whileCollecting: () => {
        const path = process.env.PATH;
        process.env.PATH = `${dir}:${path ?? ''}`;
        return () => {
          process.env.PATH = path;
        };
      },
      close: () => Promise.resolve(),
    };
  },
};

export const HOSTILE_GPU_SOURCES: readonly HostileSource[] = [exporters, nvidiaSmi];
