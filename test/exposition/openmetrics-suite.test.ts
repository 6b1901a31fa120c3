/**
 * The OpenMetrics project's own parser test suite (test/fixtures/openmetrics/, see its README.md),
 * each case read as a payload served as application/openmetrics-text. cluster-top must accept
 * exactly what Prometheus 2.42 scrapes: every case the suite accepts, every case the suite rejects
 * for how it is written (with the line and column of the fault), and, against the suite, the 71
 * it rejects for what they mean but Prometheus scrapes: a monitor must not mark down a target that
 * Prometheus scrapes.
 */
import { describe, expect, it } from 'vitest';
import { LineCache } from '../../src/exposition/line-cache.js';
import { formatFromContentType, parseExposition } from '../../src/exposition/parser.js';
import { ExpositionError, type ParseResult } from '../../src/exposition/types.js';
import { OPENMETRICS_CONTENT_TYPE, loadSuite, loadVerdicts, prometheusVerdicts } from '../helpers/openmetrics-suite.js';
import { PROMETHEUS } from '../helpers/prometheus-server.js';
import { requireBinary } from '../helpers/real-binary.js';

const cases = loadSuite();
const recorded = loadVerdicts();
const format = formatFromContentType(OPENMETRICS_CONTENT_TYPE);
// As the scraper decodes bodies: bytes that are no UTF-8 are read as U+FFFD, not refused.
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The case's samples in a comparable form, or the parse error's message. */
function outcome(bytes: Buffer, cache?: LineCache): string | unknown[] {
  let r: ParseResult;
  try {
    r = parseExposition(utf8.decode(bytes), { format, cache });
  } catch (e) {
    if (e instanceof ExpositionError) return e.message;
    throw e;
  }
  return [r.samples.map((s) => [s.name, { ...s.labels }, s.value, s.timestampMs]), [...r.types]];
}

/**
 * Where each case Prometheus refuses fails here, and why: a line and column of the payload, at the
 * character that breaks the layout Prometheus reads.
 */
const REJECTED: Record<string, string> = {
  bad_blank_line: 'line 2, column 1: blank line',
  bad_exemplar_timestamp_0: 'line 2, column 25: invalid timestamp "NaN"',
  bad_exemplar_timestamp_1: 'line 2, column 25: invalid timestamp "Inf"',
  bad_exemplar_timestamp_2: 'line 2, column 25: invalid timestamp "-Inf"',
  bad_exemplars_0: 'line 2, column 24: unexpected end of line',
  bad_exemplars_1: 'line 2, column 21: expected a number, got "1#"',
  bad_exemplars_10: 'line 2, column 15: expected "{" to open an exemplar',
  bad_exemplars_11: 'line 2, column 14: expected a blank after "#"',
  bad_exemplars_12: 'line 2, column 12: unexpected text after sample',
  bad_exemplars_2: 'line 2, column 24: expected a blank after "#"',
  bad_exemplars_3: 'line 2, column 27: expected a blank before the exemplar value',
  bad_exemplars_4: 'line 2, column 29: blank at end of line',
  bad_exemplars_5: 'line 2, column 31: blank at end of line',
  bad_exemplars_7: 'line 2, column 28: expected a number, got "0x1p-3"',
  bad_exemplars_8: 'line 2, column 30: invalid timestamp "0x1p-3"',
  bad_exemplars_9: 'line 2, column 24: more than one blank',
  bad_exemplars_on_unallowed_metric_types_0: 'line 2, column 5: exemplar on a sample whose name ends in neither _total nor _bucket',
  bad_exemplars_on_unallowed_metric_types_1: 'line 2, column 10: exemplar on a sample whose name ends in neither _total nor _bucket',
  bad_exemplars_on_unallowed_metric_types_2: 'line 2, column 12: exemplar on a sample whose name ends in neither _total nor _bucket',
  bad_exemplars_on_unallowed_samples_0: 'line 2, column 9: exemplar on a sample whose name ends in neither _total nor _bucket',
  bad_exemplars_on_unallowed_samples_1: 'line 2, column 9: exemplar on a sample whose name ends in neither _total nor _bucket',
  bad_exemplars_on_unallowed_samples_3: 'line 2, column 13: exemplar on a sample whose name ends in neither _total nor _bucket',
  bad_grouping_or_ordering_1: 'line 3, column 25: expected "," or "}" in label set',
  bad_help_0: 'line 1, column 7: unexpected end of line',
  bad_help_1: 'line 1, column 8: unexpected end of line',
  bad_help_2: 'line 1, column 9: unexpected end of line',
  bad_help_3: 'line 1, column 9: tab where OpenMetrics has a space',
  bad_help_4: 'line 1, column 1: blank at start of line',
  bad_histograms_4: 'line 3, column 2: expected a blank after "#"',
  bad_histograms_5: 'line 3, column 2: expected a blank after "#"',
  bad_invalid_labels_0: 'line 1, column 3: invalid label name',
  bad_invalid_labels_1: 'line 1, column 3: invalid label name',
  bad_invalid_labels_2: 'line 1, column 9: duplicate label name "a"',
  bad_invalid_labels_3: 'line 1, column 8: expected "," or "}" in label set',
  bad_invalid_labels_4: 'line 1, column 3: invalid label name',
  bad_invalid_labels_5: 'line 1, column 11: duplicate label name "a"',
  bad_invalid_labels_6: 'line 1, column 11: unexpected character "1" before value',
  bad_invalid_labels_7: 'line 1, column 13: expected a quoted label value',
  bad_invalid_labels_8: 'line 1, column 10: expected "," or "}" in label set',
  bad_metadata: 'line 1, column 3: expected HELP, TYPE, UNIT or EOF after "#"',
  bad_metric_names_0: 'line 1, column 1: invalid metric name',
  bad_metric_names_1: 'line 1, column 2: invalid metric name',
  bad_metric_names_2: 'line 1, column 2: invalid metric name',
  bad_missing_equal_or_label_value_0: 'line 1, column 4: expected "=" after label name',
  bad_missing_equal_or_label_value_1: 'line 1, column 4: expected "=" after label name',
  bad_missing_equal_or_label_value_2: 'line 1, column 4: expected "=" after label name',
  bad_missing_equal_or_label_value_3: 'line 1, column 5: expected a quoted label value',
  bad_missing_equal_or_label_value_4: 'line 1, column 5: unterminated label value',
  bad_missing_or_extra_commas_0: 'line 1, column 8: expected "," or "}" in label set',
  bad_missing_or_extra_commas_1: 'line 1, column 9: invalid label name',
  bad_missing_or_extra_commas_2: 'line 1, column 15: expected a label name after ","',
  bad_missing_or_wrong_quotes_on_label_value_0: 'line 1, column 5: expected a quoted label value',
  bad_missing_or_wrong_quotes_on_label_value_1: 'line 1, column 5: unterminated label value',
  bad_missing_or_wrong_quotes_on_label_value_2: 'line 1, column 5: expected a quoted label value',
  bad_missing_value_0: 'line 1, column 2: unexpected end of line',
  bad_missing_value_1: 'line 1, column 3: unexpected end of line',
  bad_no_eof: 'line 1, column 1: missing # EOF',
  bad_repeated_metadata_2: 'line 1, column 10: invalid metric type "untyped"',
  bad_text_after_eof_0: 'line 3, column 1: content after # EOF',
  bad_text_after_eof_1: 'line 2, column 6: unexpected text after # EOF',
  bad_timestamp_0: 'line 1, column 5: invalid timestamp "z"',
  bad_timestamp_1: 'line 1, column 5: invalid timestamp "1z"',
  bad_timestamp_2: 'line 1, column 5: invalid timestamp "1_2"',
  bad_timestamp_3: 'line 1, column 5: invalid timestamp "1.1.1"',
  bad_timestamp_4: 'line 1, column 5: invalid timestamp "NaN"',
  bad_timestamp_5: 'line 1, column 5: invalid timestamp "Inf"',
  bad_timestamp_6: 'line 1, column 5: more than one blank',
  bad_timestamp_7: 'line 1, column 5: invalid timestamp "-Inf"',
  bad_timestamp_8: 'line 1, column 5: invalid timestamp "0x1p-3"',
  bad_type_0: 'line 1, column 7: unexpected end of line',
  bad_type_1: 'line 1, column 8: unexpected end of line',
  bad_type_2: 'line 1, column 9: unexpected end of line',
  bad_type_3: 'line 1, column 9: tab where OpenMetrics has a space',
  bad_type_4: 'line 1, column 10: invalid metric type "meh"',
  bad_type_5: 'line 1, column 10: invalid metric type "meh"',
  bad_type_6: 'line 1, column 15: blank at end of line',
  bad_type_7: 'line 1, column 10: invalid metric type "untyped"',
  bad_unit_0: 'line 1, column 7: unexpected end of line',
  bad_unit_1: 'line 1, column 8: unexpected end of line',
  bad_unit_2: 'line 1, column 9: unexpected end of line',
  bad_unit_3: 'line 1, column 9: tab where OpenMetrics has a space',
  bad_unit_4: 'line 1, column 10: unit is not the end of the metric name',
  bad_unit_5: 'line 1, column 18: unit is not the end of the metric name',
  bad_value_0: 'line 1, column 3: expected a number, got "a"',
  bad_value_1: 'line 1, column 3: more than one blank',
  bad_value_10: 'line 1, column 3: expected a number, got "0X1"',
  bad_value_11: 'line 1, column 3: expected a number, got "0o1"',
  bad_value_12: 'line 1, column 3: expected a number, got "0O1"',
  bad_value_2: 'line 1, column 4: tab where OpenMetrics has a space',
  bad_value_3: 'line 1, column 4: blank at end of line',
  bad_value_4: 'line 1, column 3: expected a number, got "1_2"',
  bad_value_5: 'line 1, column 3: expected a number, got "0x1p-3"',
  bad_value_6: 'line 1, column 3: expected a number, got "0x1P-3"',
  bad_value_7: 'line 1, column 3: expected a number, got "0b1"',
  bad_value_8: 'line 1, column 3: expected a number, got "0B1"',
  bad_value_9: 'line 1, column 3: expected a number, got "0x1"',
};

/**
 * The 71 cases the suite rejects and Prometheus 2.42 scrapes (up, no scrape error), by what the
 * suite finds wrong in them: cluster-top follows Prometheus, whose parser checks how a payload is
 * written, not what it means.
 */
const FOLLOWS_PROMETHEUS: [string, string[]][] = [
  [
    'a TYPE repeated, or two families whose sample names clash',
    ['bad_clashing_names_0', 'bad_clashing_names_1', 'bad_clashing_names_2'],
  ],
  [
    'a counter, histogram, gaugehistogram or summary value that is NaN or negative, or a histogram _sum beside negative buckets',
    ['bad_counter_values_0', 'bad_counter_values_1', 'bad_counter_values_2', 'bad_counter_values_3', 'bad_counter_values_4', 'bad_counter_values_5', 'bad_counter_values_6', 'bad_counter_values_7', 'bad_counter_values_8', 'bad_counter_values_9', 'bad_counter_values_10', 'bad_counter_values_11', 'bad_counter_values_12', 'bad_counter_values_13', 'bad_counter_values_14', 'bad_counter_values_15', 'bad_counter_values_16', 'bad_counter_values_17', 'bad_counter_values_18', 'bad_counter_values_19'],
  ],
  [
    "an exemplar's label set longer than 128 characters or code points: Prometheus checks that only when it stores exemplars (off by default) and never fails a scrape over it",
    ['bad_exemplar_complex_chars', 'bad_exemplars_6'],
  ],
  [
    'an exemplar on a gauge named a_bucket: Prometheus 2.42 goes by the _bucket suffix, not by the TYPE',
    ['bad_exemplars_on_unallowed_samples_2'],
  ],
  [
    'the samples of a family interleaved with another\'s or split, or a series repeated with its timestamp going backwards, or with and without one',
    ['bad_grouping_or_ordering_0', 'bad_grouping_or_ordering_2', 'bad_grouping_or_ordering_3', 'bad_grouping_or_ordering_4', 'bad_grouping_or_ordering_5', 'bad_grouping_or_ordering_6', 'bad_grouping_or_ordering_7', 'bad_grouping_or_ordering_8', 'bad_grouping_or_ordering_9', 'bad_grouping_or_ordering_10'],
  ],
  [
    'a histogram or gaugehistogram without its +Inf bucket (+INF is not it), with a sum but no count or the reverse, buckets out of order, a count other than the +Inf bucket\'s, or a negative _gsum',
    ['bad_histograms_0', 'bad_histograms_1', 'bad_histograms_2', 'bad_histograms_3', 'bad_histograms_6', 'bad_histograms_7', 'bad_histograms_8', 'bad_histograms_9', 'bad_histograms_10', 'bad_histograms_11', 'bad_histograms_12', 'bad_histograms_13', 'bad_histograms_14'],
  ],
  [
    'an info value other than 1, a stateset value other than 0 or 1',
    ['bad_info_and_stateset_values_0', 'bad_info_and_stateset_values_1', 'bad_stateset_info_values_0', 'bad_stateset_info_values_1', 'bad_stateset_info_values_2', 'bad_stateset_info_values_3'],
  ],
  [
    "HELP, TYPE or UNIT after the family's samples",
    ['bad_metadata_in_wrong_place_0', 'bad_metadata_in_wrong_place_1', 'bad_metadata_in_wrong_place_2'],
  ],
  [
    'a summary sample without a quantile label or with one that is no number in [0, 1], a bucket without le, a stateset sample without its label',
    ['bad_missing_or_invalid_labels_for_a_type_0', 'bad_missing_or_invalid_labels_for_a_type_1', 'bad_missing_or_invalid_labels_for_a_type_2', 'bad_missing_or_invalid_labels_for_a_type_3', 'bad_missing_or_invalid_labels_for_a_type_4', 'bad_missing_or_invalid_labels_for_a_type_5', 'bad_missing_or_invalid_labels_for_a_type_6', 'bad_missing_or_invalid_labels_for_a_type_7'],
  ],
  [
    'HELP or UNIT given twice for a family',
    ['bad_repeated_metadata_0', 'bad_repeated_metadata_1', 'bad_repeated_metadata_3'],
  ],
  [
    'a UNIT on an info or a stateset family',
    ['bad_unit_6', 'bad_unit_7'],
  ],
];
const followsPrometheus = new Set(FOLLOWS_PROMETHEUS.flatMap(([, names]) => names));

describe('the OpenMetrics parser test suite', () => {
  it('is here as copied, 211 cases, with the verdicts recorded for each', () => {
    expect(cases).toHaveLength(211);
    expect(cases.filter((c) => c.shouldParse)).toHaveLength(44);
    expect(Object.keys(recorded.cases).sort()).toEqual(cases.map((c) => c.name));
    for (const c of cases) expect(recorded.cases[c.name]?.suite, c.name).toBe(c.shouldParse);
    expect(recorded.prometheusVersion).toContain('2.42.0');
    // Prometheus scrapes every case the suite accepts.
    expect(cases.filter((c) => c.shouldParse && !recorded.cases[c.name]?.prometheus).map((c) => c.name)).toEqual([]);
  });

  it('accepts exactly the cases Prometheus 2.42 scrapes: 211 of 211 alike', () => {
    const disagree = cases.filter((c) => (typeof outcome(c.bytes) !== 'string') !== recorded.cases[c.name]?.prometheus);
    expect(disagree.map((c) => `${c.name}: ${String(outcome(c.bytes))}`)).toEqual([]);
  });

  it('accepts every case the suite accepts, among them escapes other than \\\\, \\" and \\n kept as written', () => {
    expect(cases.filter((c) => c.shouldParse && typeof outcome(c.bytes) === 'string').map((c) => c.name)).toEqual([]);
    const escaping = cases.find((c) => c.name === 'escaping');
    expect(escaping && outcome(escaping.bytes)).toEqual([
      [
        ['a_total', { foo: 'b"a\nr' }, 1, undefined],
        ['a_total', { foo: 'b\\a\\z' }, 2, undefined],
        ['a_total', { foo: 'b"a\nr # ' }, 3, undefined],
        ['a_total', { foo: 'b\\a\\z # ' }, 4, undefined],
      ],
      [['a', 'counter']],
    ]);
  });

  it('fails every case Prometheus fails, at the line and column of the fault', () => {
    const failed = Object.fromEntries(
      cases.flatMap((c) => {
        const o = outcome(c.bytes);
        return typeof o === 'string' ? [[c.name, o]] : [];
      }),
    );
    expect(failed).toEqual(REJECTED);
    expect(Object.keys(REJECTED).sort()).toEqual(cases.filter((c) => !recorded.cases[c.name]?.prometheus).map((c) => c.name));
  });

  it('scrapes, as Prometheus does, the 71 cases the suite rejects for what they mean', () => {
    const rejectedByTheSuiteOnly = cases.filter((c) => !c.shouldParse && recorded.cases[c.name]?.prometheus).map((c) => c.name);
    expect(rejectedByTheSuiteOnly).toHaveLength(71);
    expect(rejectedByTheSuiteOnly).toEqual([...followsPrometheus].sort());
    expect(cases.filter((c) => followsPrometheus.has(c.name) && typeof outcome(c.bytes) === 'string').map((c) => c.name)).toEqual([]);
  });

  it('reads every case the same with the line cache as without, one cache across all of them', () => {
    const cache = new LineCache();
    // Three rounds: a chunk is cached when seen a second time and read from the cache after.
    // Cases in turn, so chunks of one case are offered as guesses for the next too.
    for (let round = 0; round < 3; round++) {
      for (const c of cases) expect(outcome(c.bytes, cache), `${c.name}, round ${round}`).toEqual(outcome(c.bytes));
    }
    expect(cache.size).toBeGreaterThan(0);
  });
});

describe.runIf(requireBinary(PROMETHEUS))('the recorded Prometheus verdicts', () => {
  it('are what /usr/bin/prometheus gives when it scrapes every case', { timeout: 60_000 }, async () => {
    const found = await prometheusVerdicts(cases);
    // Up or down only: the errors' wording is stable, but the token they quote is not (Prometheus
    // 2.42 quotes it from a buffer it reuses for the next scrapes).
    const differ = cases.filter((c) => recorded.cases[c.name]?.prometheus !== found.get(c.name)?.up);
    expect(differ.map((c) => ({ name: c.name, recorded: recorded.cases[c.name], now: found.get(c.name) }))).toEqual([]);
  });
});
