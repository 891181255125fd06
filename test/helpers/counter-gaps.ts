/**
 * Packets missing per each stream's 4-bit VITA-49 counter (reference §10 derivation), counted by the
 * test itself — from datagrams a test socket received, or from fields tshark dissected — so the expected
 * loss never comes from the analyser under test.
 */
export interface Counted {
  streamId?: number;
  count?: number;
}

export interface CounterGaps {
  lost: number;
  received: number;
  /** Counter steps backwards (reordering). */
  backwards: number;
  /** Counter repeats (duplicates). */
  repeats: number;
}

export function counterGaps(got: Counted[]): CounterGaps {
  const byStream = new Map<number, number[]>();
  for (const g of got) {
    if (g.streamId === undefined || g.count === undefined) continue;
    let counts = byStream.get(g.streamId);
    if (!counts) byStream.set(g.streamId, (counts = []));
    counts.push(g.count);
  }
  let lost = 0;
  let backwards = 0;
  let repeats = 0;
  for (const counts of byStream.values()) {
    for (let i = 1; i < counts.length; i++) {
      const d = (counts[i]! - counts[i - 1]! + 16) % 16;
      if (d === 0) repeats++;
      else if (d > 8) backwards++;
      else lost += d - 1;
    }
  }
  return { lost, received: got.length, backwards, repeats };
}
