// The pipeline's own EventBridge bus for completion events (`Export Succeeded` / `Export Failed`,
// detail described by schemas/export-event.schema.json). Consumers subscribe with a rule on this bus,
// e.g. { "source": ["bulk-export"], "detail-type": ["Export Succeeded"], "detail": { "export": ["marketo-activities"] } },
// from this stack's `EventBusName` output; an archive keeps the events replayable for late subscribers.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { DETAIL_TYPES } from '#shared/completion-events';

export interface PipelineEventBusProps {
  /** `source` the workflow puts on its events; the archive keeps exactly these. */
  readonly eventSource: string;
  /**
   * How long completion events stay replayable. Zero disables the archive.
   * @default Duration.days(90)
   */
  readonly archiveRetention?: Duration;
}

export class PipelineEventBus extends Construct {
  public readonly bus: events.EventBus;
  public readonly archive?: events.Archive;

  constructor(scope: Construct, id: string, props: PipelineEventBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Completion events of the bulk export pipeline (Export Succeeded / Export Failed).',
    });
    const retention = props.archiveRetention ?? Duration.days(90);
    if (retention.toSeconds() > 0) {
      this.archive = this.bus.archive('Archive', {
        description: 'Completion events, replayable for subscribers added later.',
        eventPattern: { source: [props.eventSource], detailType: Object.values(DETAIL_TYPES) },
        retention,
      });
    }
  }
}
