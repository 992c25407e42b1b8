export const BUDGET_BYTES: number
export function measure(): Promise<{ minified: number; gzipped: number; inputs: string[]; imports: string[] }>
