#!/usr/bin/env node
// Regenerates .env.example from the configuration schema (libs/config must be built).
import { writeFileSync } from 'node:fs';
import { CONFIG_SCHEMAS, envExample } from '../libs/config/dist/index.js';

writeFileSync(new URL('../.env.example', import.meta.url), envExample(CONFIG_SCHEMAS));
console.log('wrote .env.example');
