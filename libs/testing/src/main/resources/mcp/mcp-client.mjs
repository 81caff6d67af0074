// An MCP client that knows nothing of this codebase: the official TypeScript SDK over Streamable HTTP, as Claude Code,
// Cursor and VS Code connect: the 1.x package (@modelcontextprotocol/sdk) or the 2.x client package
// (@modelcontextprotocol/client). Usage:
//   node mcp-client.mjs NODE_MODULES_DIR URL TOKEN SCENARIO_JSON [sdk|client]
// (URL the MCP endpoint; TOKEN sent as "Authorization: Bearer": an internal JWT to the service, an API key to the
// gateway). SCENARIO_JSON: {"calls": [{"name", "arguments"}], "resources": [uri], "prompt": {"name", "arguments"},
// "cancel": {"name", "arguments"}}. It first tries to connect without a token, then with it: initialize, every page
// of tools, resource templates and prompts, the calls (the SDK checks each structuredContent against the tool's
// outputSchema), the resources, the prompt, and one call cancelled at its first progress notification. Prints one
// JSON line of what it saw; exits 1 on an error it did not expect.
import { createRequire } from 'node:module';

const [modules, url, token, scenarioJson, pkg = 'sdk'] = process.argv.slice(2);
const require = createRequire(modules.endsWith('/') ? modules : modules + '/');
const v2 = pkg === 'client';
const { Client } = v2 ? require('@modelcontextprotocol/client') : require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = v2 ? require('@modelcontextprotocol/client')
  : require('@modelcontextprotocol/sdk/client/streamableHttp.js');
// 1.x takes (params, resultSchema, options), 2.x (params, options)
const callTool = (client, params, options) => v2 ? client.callTool(params, options)
  : client.callTool(params, undefined, options);
const scenario = JSON.parse(scenarioJson);
const report = {};

const connect = async (bearer) => {
  const headers = bearer ? { Authorization: 'Bearer ' + bearer } : {};
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'dbp-mcp-check', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
};

const pages = async (list, key) => {
  const items = [];
  let cursor;
  let count = 0;
  do {
    const page = await list(cursor === undefined ? {} : { cursor });
    items.push(...page[key]);
    cursor = page.nextCursor;
    count++;
  } while (cursor);
  return { items, pages: count };
};

try {
  try {
    await connect(null);
    report.unauthenticated = 'connected';
  } catch (e) {
    // 1.x: the HTTP status as the error's code; 2.x: an SdkHttpError whose data carries the status
    report.unauthenticated = { code: e.code ?? null, status: typeof e.code === 'number' ? e.code
      : (e.data?.status ?? e.status ?? null), message: String(e.message ?? e) };
  }

  const { client, transport } = await connect(token);
  report.protocolVersion = transport.protocolVersion;
  report.package = v2 ? '@modelcontextprotocol/client' : '@modelcontextprotocol/sdk';
  report.server = client.getServerVersion();
  report.capabilities = Object.keys(client.getServerCapabilities() ?? {}).sort();

  const tools = await pages((p) => client.listTools(p), 'tools');
  report.toolPages = tools.pages;
  report.tools = tools.items.map((t) => ({ name: t.name, annotations: t.annotations ?? null,
    hasOutputSchema: !!t.outputSchema, required: t.inputSchema?.required ?? [] }));
  const templates = await pages((p) => client.listResourceTemplates(p), 'resourceTemplates');
  report.resourceTemplates = templates.items.map((t) => t.uriTemplate);
  const prompts = await pages((p) => client.listPrompts(p), 'prompts');
  report.prompts = prompts.items.map((p) => p.name);

  report.calls = [];
  for (const call of scenario.calls ?? []) {
    try {
      const result = await callTool(client, { name: call.name, arguments: call.arguments ?? {} });
      report.calls.push({ name: call.name, isError: !!result.isError, structuredContent: result.structuredContent ?? null,
        text: result.content?.[0]?.text ?? null });
    } catch (e) {
      report.calls.push({ name: call.name, thrown: String(e.message ?? e) });
    }
  }

  report.resources = [];
  for (const uri of scenario.resources ?? []) {
    try {
      const read = await client.readResource({ uri });
      report.resources.push({ uri, mimeType: read.contents[0].mimeType, text: read.contents[0].text });
    } catch (e) {
      report.resources.push({ uri, thrown: String(e.message ?? e) });
    }
  }

  if (scenario.prompt) {
    const prompt = await client.getPrompt({ name: scenario.prompt.name, arguments: scenario.prompt.arguments });
    report.prompt = prompt.messages.map((m) => m.content.text);
  }

  if (scenario.cancel) {
    const controller = new AbortController();
    const progress = [];
    try {
      await callTool(client, { name: scenario.cancel.name, arguments: scenario.cancel.arguments }, {
        signal: controller.signal,
        timeout: 120000,
        onprogress: (p) => {
          progress.push(p);
          controller.abort('enough');
        },
      });
      report.cancel = { progress, finished: true };
    } catch (e) {
      report.cancel = { progress, error: String(e.message ?? e) };
    }
    // the SDK sends notifications/cancelled without waiting; an assistant stays connected, so this client does too
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
  await client.close();
  console.log(JSON.stringify(report));
} catch (e) {
  console.log(JSON.stringify({ failed: String(e.stack ?? e), report }));
  process.exit(1);
}
