#!/usr/bin/env node
// The `cordon` binary: runs the TypeScript CLI through tsx, so a clone needs no build step.
require('tsx/cjs');
require('./cordon-cli.ts');
