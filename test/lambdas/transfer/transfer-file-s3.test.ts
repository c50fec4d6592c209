import { S3ObjectStore } from '../../../lambdas/transfer/s3-object-store';
import { describeWithMoto, freshBucket, motoS3Client } from '../../support/moto';
import { transferScenarios } from './support/transfer-scenarios';

describeWithMoto('transfer into S3 (moto_server)', () => {
  transferScenarios(async () => {
    const client = motoS3Client();
    return new S3ObjectStore({ bucket: await freshBucket(client), client });
  });
});
