// asciichart ships no types; this covers the part of its API the UI uses.
declare module 'asciichart' {
  interface PlotConfig {
    min?: number;
    max?: number;
    /** Rows of the plot minus one. */
    height?: number;
    /** Cells before the data: the label sits at cell 0, the axis at offset - 1. */
    offset?: number;
    padding?: string;
    colors?: string[];
    symbols?: string[];
    format?: (value: number, row: number) => string;
  }
  const asciichart: {
    plot(series: readonly number[] | readonly (readonly number[])[], config?: PlotConfig): string;
  };
  export = asciichart;
}
