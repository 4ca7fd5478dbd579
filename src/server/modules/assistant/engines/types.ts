import type { AssistantEngineName, AssistantProductCard } from '../../../../contract/assistant.ts';
import type { ToolContext } from '../tools.ts';

export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
  /** Ids of the product cards a reply showed, in order: what "these" and "it" refer to next. */
  productIds?: number[];
}

export interface EngineInput {
  /** The new message; earlier turns come from the server-side history only. */
  message: string;
  history: HistoryMessage[];
  ctx: ToolContext;
  /** Streamed text as it is produced. */
  onDelta?: (text: string) => void;
  /** Whatever was streamed so far must be discarded (a fallback engine answers instead). */
  onReset?: () => void;
}

export interface EngineAnswer {
  content: string;
  products: AssistantProductCard[];
}

export interface EngineResult extends EngineAnswer {
  engine: AssistantEngineName;
}
