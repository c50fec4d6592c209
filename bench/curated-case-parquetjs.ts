import { runCuratedCase } from './curated-case';
import { parquetjsEncoder } from './parquetjs-encoder';

await runCuratedCase(parquetjsEncoder);
