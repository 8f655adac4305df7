#!/usr/bin/env node
import { main } from './main.js';

// main() with the real streams guards them against a reader closing the pipe early (pipe-guard.ts).
process.exitCode = await main(process.argv.slice(2));
