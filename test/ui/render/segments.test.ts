import { describe, expect, it } from 'vitest';
import { fitLine, flowLines, lineText, lineWidth, packLine, thresholdTone } from '../../../src/ui/render/segments.js';

describe('thresholdTone', () => {
  it('is green under 60, yellow under 85, red above, gray when unknown', () => {
    expect(thresholdTone(59.9)).toBe('green');
    expect(thresholdTone(60)).toBe('yellow');
    expect(thresholdTone(84.9)).toBe('yellow');
    expect(thresholdTone(85)).toBe('red');
    expect(thresholdTone(null)).toBe('gray');
  });
});

describe('fitLine', () => {
  it('pads to the width', () => {
    expect(lineText(fitLine([{ text: 'ab' }], 4))).toBe('ab  ');
  });

  it('cuts with an ellipsis, keeping segment styles', () => {
    const out = fitLine([{ text: 'abc', color: 'red' }, { text: 'def' }], 5);
    expect(lineText(out)).toBe('abcd…');
    expect(out[0]?.color).toBe('red');
  });
});

describe('packLine', () => {
  it('puts the right part flush right', () => {
    expect(lineText(packLine([{ segments: [{ text: 'left' }], priority: 1 }], [{ text: 'R' }], 10))).toBe('left     R');
  });

  it('drops the lowest-priority groups first, keeping order', () => {
    const groups = [
      { segments: [{ text: 'aaaa' }], priority: 1 },
      { segments: [{ text: 'bbbb' }], priority: 3 },
      { segments: [{ text: 'cccc' }], priority: 2 },
    ];
    expect(lineText(packLine(groups, [], 10))).toBe('bbbb  cccc');
    expect(lineText(packLine(groups, [], 6))).toBe('bbbb  ');
  });

  it('is exactly the width even when nothing fits', () => {
    for (let w = 1; w < 30; w++) {
      expect(lineWidth(packLine([{ segments: [{ text: 'x'.repeat(20) }], priority: 1 }], [{ text: 'y'.repeat(8) }], w))).toBe(w);
    }
  });
});

describe('flowLines', () => {
  it('wraps whole items onto the next line and stops at maxLines', () => {
    const items = ['aaaa', 'bbbb', 'cccc'].map((t) => [{ text: t }]);
    expect(flowLines(items, 11, 5).map(lineText)).toEqual(['aaaa   bbbb', 'cccc       ']);
    expect(flowLines(items, 11, 1)).toHaveLength(1);
  });
});
