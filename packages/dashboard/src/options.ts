import { z } from 'zod';

export const DashboardOptionsSchema = z
  .object({
    /** Folder holding one sub-folder per run; it may not exist yet. */
    logdir: z.string().min(1),
    /** 0 picks a free port (tests). */
    port: z.number().int().min(0).max(65535).default(6006),
    host: z.string().min(1).default('127.0.0.1'),
    /** Required for a non-loopback host; generated when absent. Ignored on loopback. */
    token: z.string().min(16, 'token must be at least 16 characters').optional(),
    /** Files are polled this often (ms); new records reach browsers within about this delay. */
    pollMs: z.number().int().min(20).max(5000).default(250),
    /**
     * Folder of the built app (its index.html and assets): `@music-transformer/web/page` resolves to its
     * index.html; the CLI passes the copy it ships.
     */
    webRoot: z.string().min(1),
    /** The model file the playground at /play loads by default; without it the page asks for one. */
    playModel: z.string().min(1).optional(),
  })
  .strict();

export type DashboardOptions = z.input<typeof DashboardOptionsSchema>;
export type ResolvedDashboardOptions = z.output<typeof DashboardOptionsSchema>;
