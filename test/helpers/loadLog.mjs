// `node --import ./test/helpers/loadLog.mjs …`: appends the URL of every module the process loads to the file named by
// IMRM_LOAD_LOG (used by test/cli/startup.test.ts to see what a command imports).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      import { appendFileSync } from 'node:fs';
      export async function load(url, context, next) {
        if (process.env.IMRM_LOAD_LOG) appendFileSync(process.env.IMRM_LOAD_LOG, url + '\\n');
        return next(url, context);
      }`),
);
