import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, type AgentContext, type AgentToolName, runAgentTool } from './tools.ts';

/** One MCP server per HTTP request (the endpoint is stateless): the tools, bound to that request's caller. */
export function createAgentServer(ctx: AgentContext): McpServer {
  const server = new McpServer(
    { name: 'cartwise', version: '1.0.0' },
    { instructions: 'Browse and buy from this Cartwise shop. Prices are integer cents in USD.' },
  );
  for (const name of Object.keys(AGENT_TOOLS) as AgentToolName[]) {
    const tool = AGENT_TOOLS[name];
    server.registerTool(
      name,
      {
        description: tool.needsUser
          ? `${tool.description} Needs the shopper's bearer token.`
          : tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: !('writes' in tool), openWorldHint: false },
      },
      async (args: unknown): Promise<CallToolResult> => {
        const result = await runAgentTool(ctx, name, args ?? {});
        const structuredContent = result.ok ? result.data : { error: result.error };
        return {
          content: [{ type: 'text', text: JSON.stringify(structuredContent) }],
          structuredContent,
          ...(result.ok ? {} : { isError: true }),
        };
      },
    );
  }
  return server;
}
