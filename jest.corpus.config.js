/**
 * `npm run corpus`: the evaluation against the third-party corpus (test/corpus), which lives outside
 * the repository (CORDON_CORPUS, relative to the project root; ../shared/corpus by default) and
 * fails when it is missing. Same transform and global setup as jest.config.js; only the roots and
 * the ignore patterns differ, so that ignoring test/corpus in the main run does not ignore it here.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/corpus'],
  testPathIgnorePatterns: ['/node_modules/'],
};
