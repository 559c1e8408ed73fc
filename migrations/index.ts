import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { IngestFunction1764000000001 } from './1764000000001-ingest-function';
import { AgentPresence1764000000002 } from './1764000000002-agent-presence';
import { SlaConfiguration1764000000003 } from './1764000000003-sla-configuration';
import { SlaClocks1764000000004 } from './1764000000004-sla-clocks';
import { EmailChannel1764000000005 } from './1764000000005-email-channel';
import { IngestBatch1764000000006 } from './1764000000006-ingest-batch';
import { SavedReplies1764000000007 } from './1764000000007-saved-replies';
import { ChannelAssignment1764000000008 } from './1764000000008-channel-assignment';
import { Csat1764000000009 } from './1764000000009-csat';
import { AwayReply1764000000010 } from './1764000000010-away-reply';

/** Every migration, oldest first. A new migration is added here by hand, as its SQL is reviewed. */
export const MIGRATIONS = [InitialSchema1764000000000, IngestFunction1764000000001, AgentPresence1764000000002, SlaConfiguration1764000000003, SlaClocks1764000000004, EmailChannel1764000000005, IngestBatch1764000000006, SavedReplies1764000000007, ChannelAssignment1764000000008, Csat1764000000009, AwayReply1764000000010];
