/**
 * Plain-words summaries and advice per cause (DESIGN.md §2): what a ham can do at home, what a support
 * agent can ask the customer to do. Kept apart from the rules so wording changes never touch logic.
 */
import type { Cause } from './model.js';

export const ADVICE: Record<Cause, { title: string; advice: string[] }> = {
  'udp-blocked-inbound': {
    title: 'The control channel works but no VITA-49 data from the radio reaches this computer',
    advice: [
      'Allow inbound UDP from the radio to this computer (the radio sends from its port 4993, not 4991) in the firewall of this computer and of the network in between.',
      'Remote (SmartLink): make sure the radio’s router forwards the radio’s UDP port or has UPnP enabled; a VPN must route the radio’s replies back.',
      'If a stateful firewall or VPN is in the path, add an explicit allow rule for radio:4993 → this computer: the radio’s data is not a reply to anything the client sent.',
    ],
  },
  mtu: {
    title: 'Small packets (meters) arrive but large ones (panadapter/waterfall, ~1.4 kB, Don’t-Fragment set) are dropped: the path MTU is too small',
    advice: [
      'Lower the radio’s packet size for this client: SmartSDR Settings → Network → reduce MTU (e.g. 1300), which sends `client set enforce_network_mtu=1 network_mtu=<n>`.',
      'Or raise the MTU of the VPN/tunnel/PPPoE link, or let ICMP “fragmentation needed” through so path-MTU discovery works.',
    ],
  },
  bandwidth: {
    title: 'Loss grows with the stream’s rate: the link cannot carry the data rate',
    advice: [
      'Reduce what the radio sends: fewer or narrower panadapters, lower FPS, slower waterfall, compressed (Opus) audio.',
      'Check the upload speed at the radio’s site: one panadapter + waterfall + audio needs roughly 2–4 Mbit/s.',
    ],
  },
  'random-loss': {
    title: 'Packets are lost at a steady rate on every stream, whatever their size',
    advice: [
      'Look for a lossy link: Wi-Fi, powerline adapters, a congested uplink; try a wired connection.',
      'If remote, test at another time of day or from another network to find which side loses packets.',
    ],
  },
  jitter: {
    title: 'Packets arrive late or out of order: audio will stutter and the display will jerk',
    advice: [
      'Look for a congested or bufferbloated link (upload saturated by other traffic), or Wi-Fi power saving.',
      'Enable SQM/fq_codel on the router, or move other heavy traffic off the link.',
    ],
  },
  'wrong-port': {
    title: 'The radio sends data to a port nobody listens on',
    advice: [
      'Make sure only one program on this computer claims the radio’s data port (SmartSDR, DAX, CAT and third-party clients can collide).',
      'If a NAT or VPN rewrites ports, forward the data to the port the client announced.',
    ],
  },
  'host-firewall': {
    title: 'This computer rejects the radio’s data (ICMP port unreachable / administratively prohibited)',
    advice: [
      'Allow the SmartSDR/FlexPath program (or inbound UDP from the radio) in this computer’s firewall: Windows Defender Firewall, ufw, firewalld or macOS application firewall.',
    ],
  },
  'smartlink-unreachable': {
    title: 'The SmartLink server cannot be reached, is not trusted, or did not accept the login',
    advice: [
      'Check that this computer can reach smartlink.flexradio.com on TCP 443 (proxy, captive portal, firewall).',
      'If the evidence says its certificate was refused: a TLS-inspecting proxy, antivirus “web shield” or company firewall is likely intercepting HTTPS — exempt smartlink.flexradio.com — or this computer’s clock is wrong.',
      'Log out and in again in SmartSDR to refresh the SmartLink login.',
    ],
  },
  'radio-not-registered': {
    title: 'The radio is not registered with SmartLink (or refused the brokered session)',
    advice: [
      'On the radio’s LAN, open SmartSDR → Settings → SmartLink and register the radio; check that the radio has internet access.',
      'If the radio shows as registered, restart it so it reconnects to the SmartLink server.',
    ],
  },
  'router-no-forwarding': {
    title: 'The radio’s router does not let the radio’s ports through: no working forward or UPnP mapping for both TCP and UDP, and no hole punching',
    advice: [
      'Enable UPnP on the radio’s router, or forward TCP 4994 and UDP 4993 to the radio and enter them in SmartSDR → Settings → SmartLink → manual port forwarding.',
      'Then run SmartLink’s “Test” again: the UDP test must pass.',
    ],
  },
  'double-nat': {
    title: 'There is more than one NAT in front of the radio (double NAT or carrier-grade NAT)',
    advice: [
      'SmartLink works reliably only with one router doing NAT: put the ISP modem in bridge mode, or forward the ports on both routers.',
      'With carrier-grade NAT (100.64.0.0/10), ask the ISP for a public IPv4 address or use a VPN into the radio’s network.',
    ],
  },
  'control-timeout': {
    title: 'The radio’s control channel does not answer',
    advice: [
      'Check that the radio is on and reachable (TCP 4992 on the LAN, the forwarded TLS port remotely).',
      'Restart the radio if it accepts connections but never replies.',
    ],
  },
  unreachable: {
    title: 'The radio’s address cannot be reached from this computer: no route, or no host at that address (not a refusal, not a timeout)',
    advice: [
      'Check the radio’s IP address (front panel, or the radio list in SmartSDR) and that this computer is on the radio’s network or has a route or VPN to it.',
      'A router answering “host unreachable” found no device at that address: the radio may be off, or DHCP gave it another address. “Network unreachable” means no route: connect the VPN, or add the route.',
    ],
  },
  'ping-timeout': {
    title: 'The radio stopped answering keep-alive pings: the session will be dropped after 17 s',
    advice: [
      'Look for a link that stalls (Wi-Fi roaming, NAT mapping expiry, an overloaded radio or PC).',
      'If it happens at fixed intervals, a NAT or firewall is expiring idle connections: shorten its timeout or keep-alives.',
    ],
  },
  outage: {
    title: 'Data flowed, stopped for a stretch, and came back: an outage on the path, not steady loss',
    advice: [
      'Look for what drops the link for seconds at a time: Wi-Fi roaming or interference, a flapping cable or port, a router or modem rebooting, a VPN reconnecting.',
      'If the outages come at fixed intervals, a NAT or firewall may be expiring and rebuilding its state: check its UDP timeout.',
    ],
  },
  'radio-refused': {
    title: 'The radio refused a request with an error code: not a network fault',
    advice: [
      'The radio answered, so the path works: the code names the reason (licence, resources in use by another client, permission).',
      'Close panadapters or slices another client holds, check the radio’s licence and feature list, or restart the client and try again.',
    ],
  },
  nat: {
    title: 'A NAT sits between this computer and the radio on a LAN-mode path: the radio sends its data to an address that is not this computer’s',
    advice: [
      'Connect from the radio’s own network, or route between the two networks without NAT.',
      'From across a NAT, use SmartLink (it registers the UDP path through the NAT) or a VPN that places this computer on the radio’s LAN.',
    ],
  },
  'port-in-use': {
    title: 'Another program on this computer holds the radio’s data port',
    advice: [
      'Close the other client using the radio (SmartSDR, DAX, CAT or a third-party program), or let your client take another port; FlexPath itself takes the next free one unless `--data-port` pins it.',
      'Only one program on a computer can receive a given UDP port from the radio.',
    ],
  },
  'wrong-interface': {
    title: 'The route to the radio leaves by another network adapter than the one receiving the radio’s data',
    advice: [
      'Disconnect the other adapter (Wi-Fi and Ethernet at once, a VPN), or give the radio’s network the lower route metric.',
    ],
  },
  healthy: {
    title: 'Both planes are healthy: control answers and every requested stream arrives complete',
    advice: ['Nothing to fix on the network path. If the display still stays blank, check the client software’s panadapter/audio settings.'],
  },
};
