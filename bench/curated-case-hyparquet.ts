import { hyparquetEncoder } from '../lambdas/curated/hyparquet-encoder';
import { runCuratedCase } from './curated-case';

await runCuratedCase(hyparquetEncoder);
