/** Accept-header negotiation for the apiserver's alternative representations (Table, aggregated discovery). */

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string | undefined): MediaRange[] {
  return (accept ?? '').split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const [k = '', v = ''] = p.split('=');
      params[k.trim()] = v.trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/**
 * The first acceptable version of the `as` representation in group `g`, or undefined when the client prefers
 * (or only takes) the plain JSON object. Media ranges are taken in the client's order.
 */
function negotiate(accept: string | undefined, as: string, group: string, versions: readonly string[]): string | undefined {
  for (const range of parseAccept(accept)) {
    const { as: wanted, g, v = '' } = range.params;
    if (wanted !== undefined) {
      if (range.type === 'application/json' && wanted === as && g === group && versions.includes(v)) return v;
      continue;
    }
    if (['application/json', 'application/*', '*/*'].includes(range.type)) return undefined;
  }
  return undefined;
}

export const tableVersion = (accept: string | undefined): string | undefined =>
  negotiate(accept, 'Table', 'meta.k8s.io', ['v1']);

/** v2 (1.30+) or v2beta1 (what kubectl 1.26 to 1.29 ask for), or undefined for legacy discovery. */
export const aggregatedDiscoveryVersion = (accept: string | undefined): string | undefined =>
  negotiate(accept, 'APIGroupDiscoveryList', 'apidiscovery.k8s.io', ['v2', 'v2beta1']);
