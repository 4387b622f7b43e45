#!/usr/bin/env -S node --max-semi-space-size=32
// The `streamhouse` command: runs bin/streamhouse.ts through tsx, which ships with the package,
// with a 32 MB young generation semi-space (see runtime/task/README.md, "Tuning").
// tsx's loader is registered in this very process rather than by spawning the tsx CLI: a
// child behind a signal-forwarding parent gets Ctrl-C twice (the terminal's process group,
// then the parent), and tsx's relay kills a child that does not acknowledge the second one
// within 30 ms, which happens on a busy machine and skips the clean shutdown.
const { register } = await import('tsx/esm/api');
register();
await import('./streamhouse.ts');
