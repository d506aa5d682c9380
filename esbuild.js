// Bundles the extension into one CommonJS file so the .vsix ships no node_modules.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

async function main() {
  const ctx = await esbuild.context({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: 'dist/extension.js',
    external: ['vscode'],
    sourcemap: true,
    minify: production,
    sourcesContent: false,
    logLevel: 'warning',
    metafile: true,
  });
  if (watch) {
    await ctx.watch();
    console.log('[esbuild] watching');
    return;
  }
  const result = await ctx.rebuild();
  await ctx.dispose();
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(
    `[esbuild] dist/extension.js built (${production ? 'production' : 'development'}, ${(bytes / 1024).toFixed(1)} KiB incl. map)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
