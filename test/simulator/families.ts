/** Family names in payload order, from the TYPE line node_exporter writes for each. */
export function familyNames(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
}
