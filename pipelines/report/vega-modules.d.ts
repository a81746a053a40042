// The little of Vega's modules the report's renderer uses, typed here: the packages ship no
// types of their own (the `vega` umbrella's come with its multi-megabyte bundles).

declare module 'vega-util' {
  export function extend<T extends object>(target: T, ...sources: object[]): T;
}

declare module 'vega-dataflow' {
  /** The registry of transforms a parsed spec may use, by name. */
  export const transforms: Record<string, unknown>;
}

declare module 'vega-transforms';
declare module 'vega-view-transforms';
declare module 'vega-encode';

declare module 'vega-parser' {
  /** A Vega spec parsed into the runtime dataflow description a View runs. */
  export interface Runtime {
    readonly description?: string;
  }
  export function parse(spec: object): Runtime;
}

declare module 'vega-loader' {
  export interface Loader {
    load(uri: string, options?: unknown): Promise<string>;
  }
  export function loader(options?: object): Loader;
}

declare module 'vega-view' {
  import type { Runtime } from 'vega-parser';
  import type { Loader } from 'vega-loader';
  export class View {
    constructor(runtime: Runtime, options?: { renderer?: 'none' | 'svg' | 'canvas'; loader?: Loader });
    toSVG(scaleFactor?: number): Promise<string>;
    finalize(): this;
  }
}
