export function exec(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }>
export function ok(cmd: string, args: string[], cwd: string): Promise<string>
export function scratchProject(options: {
  prefix: string
  workspace: string[]
  registry?: string[]
  files: Record<string, string>
}): Promise<{ work: string; scratch: string; tarballs: Record<string, string>; cleanup: () => void }>
// esbuild's build and Miniflare's class, as the calling package resolves them (only called here).
type Build = (options: never) => Promise<unknown>
type MiniflareClass = new (
  options: never,
) => { dispatchFetch(url: string): Promise<{ status: number; text(): Promise<string> }>; dispose(): Promise<void> }
export function runInBrowserRealm(
  build: Build,
  scratch: string,
  entry: string,
  resultName: string,
): Promise<{
  code: string
  metafile: { inputs: Record<string, unknown>; outputs: Record<string, { imports: unknown[] }> }
  result: unknown
}>
export function fetchFromWorkerd(
  build: Build,
  Miniflare: MiniflareClass,
  scratch: string,
  entry: string,
): Promise<{ script: string; status: number; text: string }>
