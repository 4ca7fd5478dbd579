import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What a tool call answers, as the tests read it. */
export interface AgentToolResult {
  isError?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON from tool results
  structuredContent: Record<string, any>;
  content: unknown[];
}

/** The MCP SDK's own client, over Streamable HTTP to `baseUrl`/mcp, with a bearer token when given. */
export async function connectAgent(baseUrl: string, token?: string) {
  const client = new Client({ name: 'cartwise-test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
  });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<AgentToolResult> => {
    const result = (await client.callTool({ name, arguments: args })) as Partial<AgentToolResult>;
    return {
      content: result.content ?? [],
      isError: result.isError,
      structuredContent: result.structuredContent ?? {},
    };
  };
  return { client, call, close: () => client.close() };
}
