/** Application state in the renderer: the latest of every snapshot kind, folded by one reducer. */
import type { DiscoveredRadio, ModelSnapshot, ReplaySnapshot, SessionState, SignInView, Snapshot, SpectrumSnapshot } from '../../src/bridge/protocol.js';

interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export interface AppState {
  connected: boolean;
  session: SessionState | null;
  radios: DiscoveredRadio[];
  model: ModelSnapshot | null;
  /** A capture's own panadapter and waterfall, for replay. */
  replay: ReplaySnapshot | null;
  progress: { done: number; total: number; label: string } | null;
  notices: Notice[];
  /** A capture on its way to the server (web mode): name and fraction sent. */
  upload: { name: string; fraction: number } | null;
  /** Last export, for the Export panel to offer or confirm. */
  lastExport: Extract<Snapshot, { type: 'export-ready' }> | null;
  /** The SmartLink sign-in (words and times only); null when this build cannot sign in. */
  signIn: SignInView | null;
}

export const initialState: AppState = { connected: false, session: null, radios: [], model: null, replay: null, progress: null, notices: [], lastExport: null, upload: null, signIn: null };

export type Action = { type: 'snapshot'; snapshot: Exclude<Snapshot, SpectrumSnapshot> } | { type: 'connected'; value: boolean } | { type: 'upload'; upload: AppState['upload'] } | { type: 'dismiss'; id: number } | { type: 'notice'; kind: Notice['kind']; text: string };

let noticeId = 0;

export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'connected':
      return { ...state, connected: action.value };
    case 'upload':
      return { ...state, upload: action.upload };
    case 'dismiss':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case 'notice':
      return { ...state, notices: [...state.notices.slice(-3), { id: ++noticeId, kind: action.kind, text: action.text }] };
    case 'snapshot': {
      const s = action.snapshot;
      switch (s.type) {
        case 'state': {
          // A new run (another source, or the same demo started again) clears everything of the last
          // one: never show one source's verdict, charts or progress under another's name.
          if (s.state.run !== state.session?.run) return { ...state, session: s.state, model: null, replay: null, progress: null, lastExport: null };
          return { ...state, session: s.state, progress: s.state.phase === 'running' ? state.progress : null };
        }
        case 'replay':
          return s.run === state.session?.run ? { ...state, replay: s } : state;
        case 'radios':
          return { ...state, radios: s.radios };
        case 'model':
          return { ...state, model: s, progress: state.session?.phase === 'running' ? state.progress : null };
        case 'progress':
          return { ...state, progress: { done: s.done, total: s.total, label: s.label } };
        case 'export-ready':
          return { ...state, lastExport: s };
        case 'sign-in':
          return { ...state, signIn: s.signIn };
        case 'diff':
          // DiffPanel listens for its own answer: the main view is not touched by a comparison.
          return state;
        case 'error':
          // A failed source is explained in the verdict panel already: no second copy as a toast.
          if (state.session?.phase === 'error' && state.session.message === s.message) return state;
          return reduce(state, { type: 'notice', kind: 'error', text: s.message });
      }
    }
  }
}
