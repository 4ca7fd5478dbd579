import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 (port 0), scripted per test: each
 * request takes the next step of the script. It records every request body, so a test can check
 * which tool results were fed back to the model.
 */

export interface FakeToolCall {
  name: string;
  /** Sent as the JSON text of the arguments; a string is sent verbatim (to test bad JSON). */
  arguments: Record<string, unknown> | string;
}

export type FakeStep =
  | { content: string }
  | { toolCalls: FakeToolCall[]; content?: string }
  | { status: number; body?: unknown }
  /** Never answers (until the client gives up). */
  | { hang: true }
  /** Streams `content` slowly, `delayMs` between words, then finishes normally. */
  | { content: string; delayMs: number };

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  tool_choice?: unknown;
  tools?: { type: string; function: { name: string; parameters: unknown; strict?: boolean } }[];
  messages: {
    role: string;
    content: string | null;
    tool_call_id?: string;
    tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  }[];
}

export interface FakeOpenAi {
  baseURL: string;
  requests: ChatRequestBody[];
  /** Replaces the script; a function is called with each request and its index. */
  script(steps: FakeStep[] | ((body: ChatRequestBody, index: number) => FakeStep)): void;
  /** The tool messages (parsed JSON) fed back to the model across all requests. */
  toolResults(): unknown[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null = null) {
  return `data: ${JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

async function respond(step: FakeStep, body: ChatRequestBody, res: ServerResponse, index: number) {
  if ('hang' in step) return; // the client's timeout ends it
  if ('status' in step) {
    res.writeHead(step.status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(step.body ?? { error: { message: `scripted ${step.status}`, type: 'server_error' } }),
    );
    return;
  }
  const id = `chatcmpl-fake-${index}`;
  const toolCalls =
    'toolCalls' in step
      ? step.toolCalls.map((c, i) => ({
          index: i,
          id: `call_${index}_${i}`,
          type: 'function',
          function: {
            name: c.name,
            arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
          },
        }))
      : [];
  const content = step.content ?? '';
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: content || null,
              ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
          },
        ],
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk(id, body.model, { role: 'assistant', content: '' }));
  const delay = 'delayMs' in step ? step.delayMs : 0;
  for (const piece of content.match(/\S+\s*/g) ?? []) {
    if (delay) await sleep(delay);
    if (res.destroyed) return;
    res.write(chunk(id, body.model, { content: piece }));
  }
  for (const call of toolCalls) {
    // Split name and arguments over two chunks, as real servers do.
    res.write(
      chunk(id, body.model, {
        tool_calls: [
          {
            index: call.index,
            id: call.id,
            type: 'function',
            function: { name: call.function.name, arguments: '' },
          },
        ],
      }),
    );
    res.write(
      chunk(id, body.model, {
        tool_calls: [{ index: call.index, function: { arguments: call.function.arguments } }],
      }),
    );
  }
  res.write(chunk(id, body.model, {}, toolCalls.length ? 'tool_calls' : 'stop'));
  res.end('data: [DONE]\n\n');
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: ChatRequestBody[] = [];
  let script: FakeStep[] | ((body: ChatRequestBody, index: number) => FakeStep) = [];
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(await readBody(req)) as ChatRequestBody;
      const index = requests.length;
      requests.push(body);
      const step =
        typeof script === 'function'
          ? script(body, index)
          : (script[index] ?? { status: 500, body: { error: { message: 'script exhausted' } } });
      await respond(step, body, res, index);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script(steps) {
      script = steps;
      requests.length = 0;
    },
    toolResults() {
      const seen = new Set<string>();
      const results: unknown[] = [];
      for (const r of requests) {
        for (const m of r.messages) {
          if (m.role !== 'tool' || !m.tool_call_id || seen.has(m.tool_call_id)) continue;
          seen.add(m.tool_call_id);
          results.push(JSON.parse(m.content ?? 'null'));
        }
      }
      return results;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
