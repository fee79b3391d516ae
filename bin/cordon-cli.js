#!/usr/bin/env node
// The `cordon` binary: runs the TypeScript CLI through tsx, so a clone needs no build step.

// The AWS SDK warns on every run under Node < 22 (NodeVersionSupportWarning) that its future
// releases will need Node 22. The Lambdas run on Node 22 (nodejs22.x); the CLI supports Node 20
// (package.json engines), where the warning is noise in every command's output. Set before the
// SDK loads, and only when the caller has not chosen otherwise.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

require('tsx/cjs');
require('./cordon-cli.ts');
