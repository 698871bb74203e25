#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so one codebase serves `npx hush`, the tests and the image.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
