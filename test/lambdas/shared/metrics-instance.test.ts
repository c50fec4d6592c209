// ApiCalls by instance: a provider call counted with its instance is published under {provider,
// instance} too, so one series sums every export and step calling that instance (its daily quota).
import { describe, expect, it } from 'vitest';
import { memoryMetrics } from '../../support/memory-metrics';

describe('metrics by instance', () => {
  it('adds the {provider, instance} dimension set to a value that names its instance, and keeps instances apart', () => {
    const metrics = memoryMetrics();
    metrics.add('ApiCalls', 1, { export: 'a', provider: 'marketo', instance: '123-abc.mktorest.com' }, 'status');
    metrics.add('ApiCalls', 1, { export: 'a', provider: 'marketo', instance: '123-abc.mktorest.com' }, 'status');
    metrics.add('ApiCalls', 1, { export: 'b', provider: 'marketo', instance: '456-def.mktorest.com' }, 'file');
    metrics.add('ApiCalls', 1, { export: 'c', provider: 'clickwrap' }, 'get');
    metrics.flush();
    const emitted = metrics.emitted();
    const byInstance = emitted.filter((m) => m.dimensionSets.some((set) => set.join() === 'provider,instance'));
    expect(byInstance.map((m) => [m.dimensions.instance, m.value])).toEqual([
      ['123-abc.mktorest.com', 1],
      ['123-abc.mktorest.com', 1],
      ['456-def.mktorest.com', 1],
    ]);
    expect(byInstance[0]!.dimensionSets).toEqual([
      ['export', 'provider'],
      ['export', 'provider', 'reason'],
      ['provider', 'instance'],
    ]);
    expect(emitted.find((m) => m.dimensions.export === 'c')!.dimensionSets).toEqual([
      ['export', 'provider'],
      ['export', 'provider', 'reason'],
    ]);
  });
});
