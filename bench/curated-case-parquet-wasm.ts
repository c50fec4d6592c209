import { runCuratedCase } from './curated-case';
import { parquetWasmEncoder } from './parquet-wasm-encoder';

await runCuratedCase(parquetWasmEncoder);
