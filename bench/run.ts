/**
 * `npm run bench`: every benchmark, one after the other, in this process; each prints its result
 * line. `npm run bench -- NAME...` runs only the named ones. A benchmark joins by being added to
 * BENCHMARKS.
 */
import { containBenchmark } from './contain.bench';
import { detectBenchmark } from './detect.bench';
import { sweepBenchmark } from './sweep.bench';

export interface Benchmark {
  readonly name: string;
  /** Runs the benchmark; returns the result line to print. */
  run(): Promise<string>;
}

const BENCHMARKS: readonly Benchmark[] = [detectBenchmark, containBenchmark, sweepBenchmark];

async function main(names: readonly string[]): Promise<number> {
  // As the CLI does (bin/cordon-cli.js): the SDK's Node 20 deprecation notice is not a result line.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown benchmark ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.name).join(', ')})\n`,
    );
    return 2;
  }
  const chosen =
    names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((benchmark) => names.includes(benchmark.name));
  for (const benchmark of chosen) process.stdout.write(`${await benchmark.run()}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
