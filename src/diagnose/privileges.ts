/**
 * `sudo flexpath listen --capture IFACE`: root is needed to open the interface, and for nothing after.
 * tcpdump drops to an ordinary user once the interface is open (`-Z`), and FlexPath's own process —
 * the parsers that read hostile traffic — drops to the same user as soon as tcpdump runs.
 */
import { spawnSync } from 'node:child_process';

export interface PlainUser {
  name: string;
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  const r = spawnSync('id', [flag, name], { encoding: 'utf8', timeout: 5000 });
  const n = Number(r.stdout?.trim());
  return r.status === 0 && Number.isInteger(n) ? n : undefined;
}

/** Who a root capture continues as: the user sudo was run by, else `nobody`; undefined when not root. */
export function captureUser(env: NodeJS.ProcessEnv = process.env): PlainUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (env.SUDO_USER && Number.isInteger(uid) && uid > 0 && Number.isInteger(gid)) return { name: env.SUDO_USER, uid, gid };
  const nobody = { uid: idOf('-u', 'nobody'), gid: idOf('-g', 'nobody') };
  if (nobody.uid === undefined || nobody.gid === undefined) return undefined;
  return { name: 'nobody', uid: nobody.uid, gid: nobody.gid };
}

/** This process becomes `user` for good: supplementary groups, group, then user (the order that works). */
export function becomeUser(user: PlainUser): void {
  process.setgroups?.([]);
  process.setgid?.(user.gid);
  process.setuid?.(user.uid);
}
