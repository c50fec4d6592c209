// Types of layers-table.js, for the test that holds the architecture page to the table.
export declare const BEGIN: string;
export declare const END: string;
export declare function renderLayersTable(): string;
export declare function withLayersTable(page: string): string;
