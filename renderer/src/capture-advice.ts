/**
 * How to make a capture FlexPath can read, per system: the page shows the block for the system the core
 * runs on (SessionState.platform) first. One filter everywhere: every UDP datagram (VITA-49 data,
 * discovery, SmartLink hole punching), the radio's TCP API (4992) and SmartLink TLS (4994) — reference
 * §2 ports — and ICMP, which carries "fragmentation needed" and port-unreachable.
 */
import type { HostPlatform } from '../../src/bridge/protocol.js';

interface AdviceStep {
  what: string;
  commands: string[];
}

export interface AdviceBlock {
  os: Exclude<HostPlatform, 'other'>;
  title: string;
  steps: AdviceStep[];
}

const FILTER = '"udp or tcp port 4992 or tcp port 4994 or icmp"';
const DUMPCAP = '"C:\\Program Files\\Wireshark\\dumpcap.exe"';
const WIN_DIR = '%USERPROFILE%\\Desktop';

const WINDOWS: AdviceBlock = {
  os: 'windows',
  title: 'Windows',
  steps: [
    {
      what: 'With Wireshark installed: list the adapters, then capture on the one that reaches the radio (its number from the list) while SmartSDR shows the problem; Ctrl+C stops. Open the .pcapng here.',
      commands: [`${DUMPCAP} -D`, `${DUMPCAP} -i 1 -f ${FILTER} -w "${WIN_DIR}\\flexpath.pcapng"`],
    },
    {
      // Syntax from Microsoft's pktmon reference (learn.microsoft.com, windows-commands/pktmon-start and
      // pktmon-pcapng: `start --capture [--comp] [--pkt-size] [--file-name]`, `etl2pcap <file> --out`):
      // --pkt-size 0 logs whole packets (the default 128 bytes would cut every VITA-49 payload), and
      // --comp nics logs each packet once at the adapter instead of once per stack component.
      what: 'Without installing anything (pktmon, Windows 10 and later), in a Command Prompt run as administrator: start, reproduce the problem, stop, then convert the log to pcapng and open that here.',
      commands: [
        `pktmon start --capture --comp nics --pkt-size 0 --file-name "${WIN_DIR}\\flexpath.etl"`,
        'pktmon stop',
        `pktmon etl2pcap "${WIN_DIR}\\flexpath.etl" --out "${WIN_DIR}\\flexpath.pcapng"`,
      ],
    },
  ],
};

/** macOS's tcpdump captures on every interface when none is named (its pktap pseudo-interface). */
const MACOS: AdviceBlock = {
  os: 'macos',
  title: 'macOS',
  steps: [
    { what: 'Straight into FlexPath while SmartSDR runs (Ctrl+C stops, then the verdict prints):', commands: [`sudo tcpdump -U -w - ${FILTER} | flexpath analyze -`] },
    { what: 'Or to a file, to open here or send:', commands: [`sudo tcpdump -U -w ~/Desktop/flexpath.pcap ${FILTER}`] },
  ],
};

const LINUX: AdviceBlock = {
  os: 'linux',
  title: 'Linux',
  steps: [
    { what: 'Straight into FlexPath while the client runs (Ctrl+C stops, then the verdict prints):', commands: [`sudo tcpdump -i any -U -w - ${FILTER} | flexpath analyze -`] },
    { what: 'Or to a file, to open here or send:', commands: [`sudo tcpdump -i any -U -w flexpath.pcap ${FILTER}`] },
  ],
};

/** Every block, the one for `platform` first. */
export function adviceFor(platform: HostPlatform | undefined): AdviceBlock[] {
  const all = [WINDOWS, MACOS, LINUX];
  const mine = all.find((b) => b.os === platform);
  return mine ? [mine, ...all.filter((b) => b !== mine)] : all;
}
