/**
 * The emulated tools `hsm-playground --tool NAME` can run (`cli`, the default, `cmu`, `kmu`).
 * They live in src/cli/tools.ts, shared with the page's tool switch; this module only re-exports
 * them under the name the rest of src/node imports. Nothing in src/node knows which tool it drives.
 * @module
 */
export { CLOUDHSM_CLI_TOOL, CMU_TOOL, KMU_TOOL, TOOLS, promptOf, type EmulatedTool, type ToolContext, type ToolName, type ToolResult } from '../cli/tools.ts';
