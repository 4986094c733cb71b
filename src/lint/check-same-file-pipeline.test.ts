import { describe, expect, it } from 'vitest';
import { checkSameFilePipeline } from './check-same-file-pipeline.ts';

describe('checkSameFilePipeline', () => {
  it('finds the genre\'s cat | sed | tee on one file, at the line of the writer', () => {
    expect(checkSameFilePipeline('cat main.go | sed -e \\\n    "s@hello, PR@hello, progressive@g" \\\n    | tee main.go')).toEqual([{ file: 'main.go', line: 3 }]);
  });

  it('follows quoted multi-line sed scripts and redirections', () => {
    const command = "cat charts/values.yaml \\\n    | sed -e \\\n    's@db:@db:\\\n  podAnnotations:\\\n    inject: \"false\"@g' \\\n    | tee charts/values.yaml";
    expect(checkSameFilePipeline(command)).toEqual([{ file: 'charts/values.yaml', line: 6 }]);
    expect(checkSameFilePipeline('sed -e s/a/b/ < f > f')).toEqual([{ file: 'f', line: 1 }]);
  });

  it('does not flag different files, separate pipelines, or a sed script that looks like a file', () => {
    expect(checkSameFilePipeline('cat a | sed s/x/y/ > b')).toEqual([]);
    expect(checkSameFilePipeline('cat f | tee g && cat g > f')).toEqual([]);
    expect(checkSameFilePipeline('echo "x" | tee -a values.yaml')).toEqual([]);
    expect(checkSameFilePipeline('sed main.go < input | tee main.go')).toEqual([]);
  });
});
