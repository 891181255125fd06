/**
 * The flexpath command for tests that run a SmartLink broker away from loopback (the netlab's, at a
 * namespace address): the same CLI, with --broker-test-ca accepted for any broker host. Never shipped
 * as a bin: there, the test CA (its key is in this repo) is trusted only for a broker on loopback.
 */
import { allowBrokerTestCaOnAnyHost } from '../../src/cli/diagnose.js';
import { main } from '../../src/cli/main.js';

allowBrokerTestCaOnAnyHost();
process.exitCode = await main(process.argv.slice(2));
