/**
 * Preloaded (`node --import`) into a CLI a test runs as a whole process: prints the process's peak
 * resident set on exit, as the kernel counted it (getrusage ru_maxrss), for tests of memory bounds.
 */
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
